"""Quiz-bank lint: do the options measure knowledge, or test-taking?

An expert review found that a student who always picked the longest option scored 46% on
this bank (chance: 25%) and that absolute words ("only", "never", ...) marked wrong options.
`lint_quiz_bank` measures, per topic, what such guessers gain, and names every item that
breaks a rule: the key is the longest option too often, absolute words sit in keys and in
wrong options at different rates, two options are the same, or one contains the other.
Ingest runs it and prints the figures, so whoever adds questions sees them.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.knowledge.banks import BankError, QuizQuestion

# Share of a topic's items whose key may be the strictly longest option (chance is 1/n).
LONGEST_KEY_MAX_SHARE = 0.30
# Allowed gap, per topic, between the share of keys and the share of wrong options that
# contain an absolute word (0.10 = ten percentage points: about three items in thirty).
ABSOLUTE_TOLERANCE = 0.10
ABSOLUTE_WORDS = frozenset(
    {
        "all",
        "always",
        "never",
        "none",
        "nothing",
        "every",
        "everything",
        "everyone",
        "only",
        "must",
        "cannot",
        "can't",
        "impossible",
        "guarantee",
        "guarantees",
        "guaranteed",
        "completely",
        "entirely",
        "perfect",
        "perfectly",
        "solely",
    }
)
_WORD = re.compile(r"[\w']+")
# Numbers like 0.05, 1/12 or 1,000 and words like model's are one token each.
_TOKEN = re.compile(r"\w+(?:[.,/']\w+)*|[^\w\s]")


def absolute_words(text: str) -> list[str]:
    """The absolute words in `text`, lower-cased, in order."""
    words = (w.casefold().replace("\u2019", "'") for w in _WORD.findall(text))
    return [w for w in words if w in ABSOLUTE_WORDS]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def _contains(longer: Sequence[str], shorter: Sequence[str]) -> bool:
    n = len(shorter)
    return n > 0 and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def key_is_longest(question: QuizQuestion) -> bool:
    """The key is strictly longer than every other option."""
    key = len(question.correct_option)
    return all(len(o) < key for i, o in enumerate(question.options) if i != question.correct)


def longest_guess_score(question: QuizQuestion) -> float:
    """Expected score of picking the longest option (ties broken at random)."""
    longest = max(len(o) for o in question.options)
    tied = [i for i, o in enumerate(question.options) if len(o) == longest]
    return 1 / len(tied) if question.correct in tied else 0.0


def avoider_guess_score(question: QuizQuestion) -> float:
    """Expected score of picking at random among the options without an absolute word."""
    clean = [i for i, o in enumerate(question.options) if not absolute_words(o)]
    pool = clean or list(range(len(question.options)))
    return 1 / len(pool) if question.correct in pool else 0.0


def option_problems(question: QuizQuestion) -> list[str]:
    """Duplicate options, and options whose words appear inside another option."""
    problems = []
    toks = [tokens(o) for o in question.options]
    for i, j in itertools.combinations(range(len(toks)), 2):
        if toks[i] == toks[j]:
            problems.append(
                f"{question.id}: options {i + 1} and {j + 1} are the same "
                f"({question.options[i]!r} / {question.options[j]!r})"
            )
            continue
        inner, outer = (i, j) if len(toks[i]) < len(toks[j]) else (j, i)
        if _contains(toks[outer], toks[inner]):
            problems.append(
                f"{question.id}: option {question.options[inner]!r} is contained in "
                f"option {question.options[outer]!r}"
            )
    return problems


@dataclass(frozen=True)
class TopicFigures:
    topic: str  # a topic slug, or "all"
    items: int
    key_longest: int  # items whose key is the strictly longest option
    longest_guesser: float  # expected score, 0..1
    absolute_avoider: float  # expected score, 0..1
    keys_absolute: float  # share of keys with an absolute word
    distractors_absolute: float  # share of wrong options with one
    key_positions: tuple[int, ...]  # items per key position (1st, 2nd, ...)

    @property
    def key_longest_share(self) -> float:
        return self.key_longest / self.items if self.items else 0.0

    def line(self) -> str:
        positions = "/".join(map(str, self.key_positions))
        return (
            f"{self.topic:<12} {self.items:>3} items  key longest {self.key_longest_share:4.0%}  "
            f"longest-guesser {self.longest_guesser:4.0%}  "
            f"absolute-word avoider {self.absolute_avoider:4.0%}  "
            f"absolute words: keys {self.keys_absolute:4.0%}, "
            f"wrong options {self.distractors_absolute:4.0%}  key positions {positions}"
        )


def topic_figures(topic: str, questions: Sequence[QuizQuestion]) -> TopicFigures:
    n = len(questions)
    distractors = [o for q in questions for i, o in enumerate(q.options) if i != q.correct]
    width = max((len(q.options) for q in questions), default=0)
    positions = Counter(q.correct for q in questions)
    return TopicFigures(
        topic=topic,
        items=n,
        key_longest=sum(key_is_longest(q) for q in questions),
        longest_guesser=sum(map(longest_guess_score, questions)) / n if n else 0.0,
        absolute_avoider=sum(map(avoider_guess_score, questions)) / n if n else 0.0,
        keys_absolute=sum(bool(absolute_words(q.correct_option)) for q in questions) / n
        if n
        else 0.0,
        distractors_absolute=sum(bool(absolute_words(o)) for o in distractors) / len(distractors)
        if distractors
        else 0.0,
        key_positions=tuple(positions[i] for i in range(width)),
    )


def _topic_problems(figures: TopicFigures, questions: Sequence[QuizQuestion]) -> list[str]:
    problems = []
    if figures.key_longest_share > LONGEST_KEY_MAX_SHARE:
        ids = ", ".join(q.id for q in questions if key_is_longest(q))
        problems.append(
            f"{figures.topic}: the key is the longest option in {figures.key_longest} of "
            f"{figures.items} items ({figures.key_longest_share:.0%}, limit "
            f"{LONGEST_KEY_MAX_SHARE:.0%}); shorten the key or lengthen a wrong option: {ids}"
        )
    gap = figures.keys_absolute - figures.distractors_absolute
    if abs(gap) > ABSOLUTE_TOLERANCE:
        in_keys = gap > 0

        def tells(q: QuizQuestion) -> bool:
            key = bool(absolute_words(q.correct_option))
            wrong = any(absolute_words(o) for i, o in enumerate(q.options) if i != q.correct)
            return key and not wrong if in_keys else wrong and not key

        side = "keys" if in_keys else "wrong options"
        problems.append(
            f"{figures.topic}: absolute words are in {figures.keys_absolute:.0%} of keys but "
            f"{figures.distractors_absolute:.0%} of wrong options (tolerance "
            f"{ABSOLUTE_TOLERANCE:.0%}); items where only the {side} have one: "
            + ", ".join(q.id for q in questions if tells(q))
        )
    return problems


@dataclass(frozen=True)
class LintReport:
    figures: list[TopicFigures]  # one per topic, then "all"
    problems: list[str]

    def lines(self) -> list[str]:
        return [f.line() for f in self.figures]


def lint_quiz_bank(questions: Iterable[QuizQuestion]) -> LintReport:
    """Figures per topic and over the bank, and every rule an item breaks (see module doc)."""
    questions = list(questions)
    by_topic: dict[str, list[QuizQuestion]] = defaultdict(list)
    for question in questions:
        by_topic[question.topic].append(question)
    figures, problems = [], []
    for question in questions:
        problems.extend(option_problems(question))
    for topic, items in sorted(by_topic.items()):
        figures.append(topic_figures(topic, items))
        problems.extend(_topic_problems(figures[-1], items))
    figures.append(topic_figures("all", questions))
    return LintReport(figures, problems)


def check_quiz_bank(questions: Iterable[QuizQuestion]) -> LintReport:
    """`lint_quiz_bank`, raising `BankError` (every problem named) when a rule is broken."""
    report = lint_quiz_bank(questions)
    if report.problems:
        raise BankError(report.problems)
    return report
