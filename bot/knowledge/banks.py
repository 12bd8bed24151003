"""Question banks: multiple-choice quiz questions and open mock-interview questions.

Both banks are YAML under `knowledge/`. Loading validates every entry and reports every
problem at once (a `BankError`), so a bad edit fails at start-up rather than as a Telegram
400 in the middle of someone's quiz.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.text import telegram_length
from bot.knowledge.yaml_io import read_yaml

# slug -> human title; the five concept areas of the article's checklist plus its own advice.
TOPICS: dict[str, str] = {
    "programming": "Programming fundamentals (data structures, algorithms, computer architecture)",
    "probability": "Probability and statistics",
    "modeling": "Data modelling and evaluation",
    "ml": "ML algorithms and libraries",
    "engineering": "Software engineering and system design",
    "career": "Getting the internship: portfolio, résumé, where to apply",
}
INTERVIEW_KINDS = ("technical", "behavioural")

# Telegram sendPoll limits (quiz mode).
QUESTION_MAX = 300
OPTION_MAX = 100
EXPLANATION_MAX = 200
EXPLANATION_MAX_LINE_FEEDS = 2
OPTIONS_MIN, OPTIONS_MAX = 3, 5
DIFFICULTIES = (1, 2, 3)
# Interview answers are sent as ordinary messages; these keep them readable on a phone.
TALKING_POINTS_MIN, TALKING_POINTS_MAX = 3, 6
MODEL_ANSWER_MAX = 1000

_QUIZ_KEYS = {
    "id",
    "topic",
    "difficulty",
    "question",
    "options",
    "answer",
    "explanation",
    "section",
}
_INTERVIEW_KEYS = {"id", "kind", "topic", "question", "talking_points", "model_answer", "section"}


class BankError(ValueError):
    """A bank failed validation; `problems` names every bad entry, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s):\n" + "\n".join(self.problems))


@dataclass(frozen=True)
class QuizQuestion:
    id: str
    topic: str
    difficulty: int
    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str
    section: str | None = None

    @property
    def correct_option(self) -> str:
        return self.options[self.correct]


@dataclass(frozen=True)
class InterviewQuestion:
    id: str
    kind: str
    topic: str
    question: str
    talking_points: tuple[str, ...]
    model_answer: str
    section: str | None = None


class _Entry:
    """Collects the problems of one entry, prefixed with where it lives."""

    def __init__(self, where: str, raw: dict[str, Any], problems: list[str]) -> None:
        self.raw = raw
        self._where = where
        self._problems = problems
        self.ok = True

    def problem(self, message: str) -> None:
        self.ok = False
        self._problems.append(f"{self._where}: {message}")

    def text(self, key: str, limit: int, *, what: str = "Telegram allows") -> str:
        value = self.raw.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{key} is missing or empty")
            return ""
        value = value.strip()
        if telegram_length(value) > limit:
            self.problem(f"{key} is {telegram_length(value)} chars ({what} {limit})")
        return value

    def text_list(self, key: str, lo: int, hi: int, item_limit: int | None) -> tuple[str, ...]:
        value = self.raw.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(f"{key} must be a list of non-empty strings")
            return ()
        items = tuple(v.strip() for v in value)
        if not lo <= len(items) <= hi:
            self.problem(f"has {len(items)} {key} (needs {lo}-{hi})")
        if len({i.casefold() for i in items}) != len(items):
            self.problem(f"{key} are not distinct")
        if item_limit is not None:
            for n, item in enumerate(items):
                if telegram_length(item) > item_limit:
                    self.problem(
                        f"{key}[{n}] is {telegram_length(item)} chars (Telegram allows {item_limit})"
                    )
        return items

    def choice(self, key: str, allowed: Any, default: Any = None) -> Any:
        value = self.raw.get(key, default)
        if isinstance(value, (bool, float, list, dict)) or value not in allowed:
            self.problem(f"{key} {value!r} is not one of {sorted(allowed)}")
        return value

    def section(self, known_sections: set[str] | None, required: bool) -> str | None:
        value = self.raw.get("section")
        if value is None:
            if required:
                self.problem("section is required (the article heading the answer comes from)")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem("section must be a heading text or null")
            return None
        value = value.strip()
        if known_sections is not None and value not in known_sections:
            self.problem(f"section {value!r} is not an article heading")
        return value


def _read_entries(
    directory: Path, *, needs_topic_header: bool, problems: list[str]
) -> list[tuple[str, str | None, int, dict[str, Any]]]:
    """(file name, file-level topic, position, raw entry) for every entry of every YAML file."""
    files = sorted([*Path(directory).glob("*.yaml"), *Path(directory).glob("*.yml")])
    if not files:
        problems.append(f"{directory}: no *.yaml files")
    entries = []
    for path in files:
        try:
            doc = read_yaml(path)
        except yaml.YAMLError as exc:
            problems.append(f"{path.name}: not valid YAML ({' '.join(str(exc).split())})")
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("questions"), list):
            problems.append(f"{path.name}: expected a mapping with a `questions` list")
            continue
        file_topic = doc.get("topic")
        if not isinstance(file_topic, str) and file_topic is not None:
            file_topic = repr(file_topic)
        if needs_topic_header and file_topic not in TOPICS:
            problems.append(f"{path.name}: topic {file_topic!r} is not one of {sorted(TOPICS)}")
        if not doc["questions"]:
            problems.append(f"{path.name}: `questions` is empty")
        for position, raw in enumerate(doc["questions"], start=1):
            if not isinstance(raw, dict):
                problems.append(f"{path.name}: entry #{position} is not a mapping")
                continue
            entries.append((path.name, file_topic, position, raw))
    return entries


def _load(
    directory: Path,
    *,
    keys: set[str],
    needs_topic_header: bool,
    build: Callable[[_Entry, str, str | None], Any],
) -> list[Any]:
    problems: list[str] = []
    seen_ids: dict[str, str] = {}
    built = []
    for file_name, file_topic, position, raw in _read_entries(
        directory, needs_topic_header=needs_topic_header, problems=problems
    ):
        raw_id = raw.get("id")
        qid = str(raw_id).strip() if raw_id is not None else ""
        entry = _Entry(
            f"{file_name}: " + (f"id {qid}" if qid else f"entry #{position}"), raw, problems
        )
        if not qid:
            entry.problem("id is missing")
        elif qid in seen_ids:
            entry.problem(f"duplicate id (also in {seen_ids[qid]})")
        else:
            seen_ids[qid] = file_name
        unknown = sorted(map(str, set(raw) - keys))
        if unknown:
            entry.problem(f"unknown field(s) {', '.join(unknown)}")
        question = build(entry, qid, file_topic)
        if entry.ok:
            built.append(question)
    if problems:
        raise BankError(problems)
    return built


def load_quiz_bank(quiz_dir: Path, known_sections: set[str] | None = None) -> list[QuizQuestion]:
    """Every quiz question under `quiz_dir` (one YAML file per topic), validated."""

    def build(entry: _Entry, qid: str, file_topic: str | None) -> QuizQuestion:
        topic = entry.choice("topic", TOPICS.keys(), default=file_topic)
        if (
            isinstance(topic, str)
            and topic in TOPICS
            and file_topic in TOPICS
            and topic != file_topic
        ):
            entry.problem(f"topic {topic!r} differs from its file's topic {file_topic!r}")
        difficulty = entry.choice("difficulty", DIFFICULTIES)
        question = entry.text("question", QUESTION_MAX)
        options = entry.text_list("options", OPTIONS_MIN, OPTIONS_MAX, OPTION_MAX)
        answer = entry.raw.get("answer")
        if not isinstance(answer, int) or isinstance(answer, bool):
            entry.problem("answer must be the integer index of the one correct option")
        elif options and not 0 <= answer < len(options):
            entry.problem(f"answer {answer} is not an index into {len(options)} options")
        explanation = entry.text("explanation", EXPLANATION_MAX)
        if explanation.count("\n") > EXPLANATION_MAX_LINE_FEEDS:
            entry.problem(f"explanation has more than {EXPLANATION_MAX_LINE_FEEDS} line feeds")
        section = entry.section(known_sections, required=topic == "career")
        return QuizQuestion(qid, topic, difficulty, question, options, answer, explanation, section)

    return _load(quiz_dir, keys=_QUIZ_KEYS, needs_topic_header=True, build=build)


def load_interview_bank(
    interview_dir: Path, known_sections: set[str] | None = None
) -> list[InterviewQuestion]:
    """Every open mock-interview question under `interview_dir`, validated."""

    def build(entry: _Entry, qid: str, file_topic: str | None) -> InterviewQuestion:
        kind = entry.choice("kind", INTERVIEW_KINDS)
        topic = entry.choice("topic", TOPICS.keys(), default=file_topic)
        question = entry.text("question", QUESTION_MAX)
        points = entry.text_list("talking_points", TALKING_POINTS_MIN, TALKING_POINTS_MAX, None)
        answer = entry.text("model_answer", MODEL_ANSWER_MAX, what="limit is")
        section = entry.section(known_sections, required=False)
        return InterviewQuestion(qid, kind, topic, question, points, answer, section)

    return _load(interview_dir, keys=_INTERVIEW_KEYS, needs_topic_header=False, build=build)
