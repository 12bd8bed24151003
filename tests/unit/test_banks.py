"""Question banks: the shipped YAML is valid, and every kind of broken entry is reported by name."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.knowledge.banks import (
    TOPICS,
    BankError,
    InterviewQuestion,
    QuizQuestion,
    load_interview_bank,
    load_quiz_bank,
)
from ingest.loaders import load_source

KNOWLEDGE = PROJECT_ROOT / "knowledge"
CONCEPT_TOPICS = ["programming", "probability", "modeling", "ml", "engineering"]


@pytest.fixture(scope="module")
def sections() -> set[str]:
    """The headings ingest reads from the shipped articles (what a bank entry may cite)."""
    found: set[str] = set()
    for path in sorted((KNOWLEDGE / "articles").glob("*.md")):
        doc = load_source(path, KNOWLEDGE)
        found.add(doc.title)
        for section in doc.sections:
            found.update((section.heading, *section.parents))
    return found


def good_quiz(qid: str, **overrides: object) -> dict:
    entry = {
        "id": qid,
        "difficulty": 1,
        "question": "What is 2 + 2?",
        "options": ["3", "4", "5"],
        "answer": 1,
        "explanation": "Two plus two is four.",
        "section": None,
    }
    entry.update(overrides)
    return entry


def good_interview(qid: str, **overrides: object) -> dict:
    entry = {
        "id": qid,
        "kind": "technical",
        "topic": "modeling",
        "question": "How would you tell whether a model overfits?",
        "talking_points": [
            "Compare train and validation error.",
            "A big gap means overfitting.",
            "Regularise.",
        ],
        "model_answer": "Compare training and validation error. A large gap means overfitting. Regularise.",
        "section": None,
    }
    entry.update(overrides)
    return entry


def write(path: Path, document: object) -> Path:
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems_of(loader, directory: Path, **kwargs) -> list[str]:
    with pytest.raises(BankError) as caught:
        loader(directory, **kwargs)
    return caught.value.problems


# --- article sections -------------------------------------------------------------------------


def test_article_sections_of_the_real_article(sections):
    assert {
        "How to Get a Machine Learning Internship",
        "Understand the Major Machine Learning Concepts",
        "Build a Machine Learning Portfolio",
        "Write a Resume That Flatters Your Background",
        "Personal Summary",
        "Experience",
        "Projects",
        "Education",
        "Tailor Each Resume to the Job",
        "Tailor Your Internship Search to Your Strengths",
    } <= sections
    assert not any(s.startswith(("title:", "source:")) for s in sections)


# --- shipped banks ----------------------------------------------------------------------------


def test_shipped_quiz_bank_loads_cleanly_against_the_article(sections):
    questions = load_quiz_bank(KNOWLEDGE / "quiz", known_sections=sections)
    assert all(isinstance(q, QuizQuestion) for q in questions)
    per_topic = Counter(q.topic for q in questions)
    assert len(questions) >= 160
    assert set(per_topic) == set(TOPICS)
    assert all(per_topic[topic] >= 25 for topic in TOPICS), per_topic
    career = [q for q in questions if q.topic == "career"]
    assert all(q.section in sections and q.section != "Disclaimer" for q in career)
    assert all(q.section is None for q in questions if q.topic != "career")


def test_shipped_quiz_answers_are_spread_over_positions():
    questions = load_quiz_bank(KNOWLEDGE / "quiz")
    for topic in TOPICS:
        positions = Counter(q.correct for q in questions if q.topic == topic)
        assert len(positions) >= 3 and max(positions.values()) <= 0.45 * sum(positions.values()), (
            topic,
            positions,
        )


def test_shipped_interview_bank_loads_cleanly_against_the_article(sections):
    questions = load_interview_bank(KNOWLEDGE / "interview", known_sections=sections)
    assert all(isinstance(q, InterviewQuestion) for q in questions)
    assert len(questions) >= 45
    technical = [q for q in questions if q.kind == "technical"]
    behavioural = [q for q in questions if q.kind == "behavioural"]
    assert len(technical) >= 30 and len(behavioural) >= 12
    assert {q.topic for q in technical} == set(CONCEPT_TOPICS)
    assert all(q.section in sections for q in behavioural)
    assert len({q.id for q in questions}) == len(questions)


# --- quiz validation --------------------------------------------------------------------------


def test_valid_quiz_file_loads_into_dataclasses(tmp_path):
    write(tmp_path / "ml.yaml", {"topic": "ml", "questions": [good_quiz("ml-1")]})
    [question] = load_quiz_bank(tmp_path)
    assert question == QuizQuestion(
        id="ml-1",
        topic="ml",
        difficulty=1,
        question="What is 2 + 2?",
        options=("3", "4", "5"),
        correct=1,
        explanation="Two plus two is four.",
        section=None,
    )
    assert question.correct_option == "4"


def test_overlong_explanation_is_reported_in_the_documented_format(tmp_path):
    write(
        tmp_path / "ml.yaml", {"topic": "ml", "questions": [good_quiz("X", explanation="e" * 231)]}
    )
    assert problems_of(load_quiz_bank, tmp_path) == [
        "ml.yaml: id X: explanation is 231 chars (Telegram allows 200)"
    ]


def test_every_broken_quiz_entry_is_named(tmp_path):
    broken = {
        "long-question": {"question": "q" * 301},
        "long-option": {"options": ["3", "o" * 101, "5"]},
        "empty-explanation": {"explanation": "  "},
        "too-few-options": {"options": ["3", "4"], "answer": 0},
        "too-many-options": {"options": ["1", "2", "3", "4", "5", "6"]},
        "duplicate-options": {"options": ["4", "4 ", "5"]},
        "answer-out-of-range": {"answer": 3},
        "answer-not-int": {"answer": "4"},
        "answer-list": {"answer": [0, 1]},
        "bad-difficulty": {"difficulty": 4},
        "bad-topic": {"topic": "cooking"},
        "other-files-topic": {"topic": "probability"},
        "unknown-field": {"explaination": "typo"},
    }
    entries = [good_quiz("fine-1")] + [good_quiz(qid, **bad) for qid, bad in broken.items()]
    write(tmp_path / "ml.yaml", {"topic": "ml", "questions": entries})
    problems = problems_of(load_quiz_bank, tmp_path)
    for qid in broken:
        assert any(p.startswith(f"ml.yaml: id {qid}: ") for p in problems), (qid, problems)
    assert not any("fine-1" in p for p in problems)
    assert len(problems) == len(broken)


def test_quiz_file_level_problems_are_named(tmp_path):
    write(tmp_path / "a.yaml", {"topic": "ml", "questions": [good_quiz("same"), {"difficulty": 1}]})
    write(tmp_path / "b.yaml", {"topic": "ml", "questions": [good_quiz("same")]})
    write(tmp_path / "c.yaml", {"topic": "astrology", "questions": [good_quiz("c-1")]})
    (tmp_path / "d.yaml").write_text("topic: ml\nquestions: [unclosed\n", encoding="utf-8")
    write(tmp_path / "e.yaml", ["not", "a", "mapping"])
    problems = problems_of(load_quiz_bank, tmp_path)
    assert "a.yaml: entry #2: id is missing" in problems
    assert "b.yaml: id same: duplicate id (also in a.yaml)" in problems
    assert any(p.startswith("c.yaml: topic 'astrology'") for p in problems)
    assert any(p.startswith("d.yaml: not valid YAML") for p in problems)
    assert "e.yaml: expected a mapping with a `questions` list" in problems


def test_quiz_sections_are_checked_only_against_known_sections(tmp_path):
    write(
        tmp_path / "career.yaml",
        {
            "topic": "career",
            "questions": [
                good_quiz("car-ok", section="Projects"),
                good_quiz("car-typo", section="Project"),
                good_quiz("car-missing"),
            ],
        },
    )
    problems = problems_of(load_quiz_bank, tmp_path, known_sections={"Projects"})
    assert any(p.startswith("career.yaml: id car-typo: section 'Project'") for p in problems)
    assert any(p.startswith("career.yaml: id car-missing: section is required") for p in problems)
    assert not any("car-ok" in p for p in problems)
    # Without known sections any heading text is accepted, but career still needs one.
    assert [p for p in problems_of(load_quiz_bank, tmp_path) if "car-typo" in p] == []


def test_lengths_are_counted_as_telegram_counts_them(tmp_path):
    # An emoji is two UTF-16 code units, so 199 letters plus one emoji is 201 for Telegram.
    write(
        tmp_path / "ml.yaml",
        {"topic": "ml", "questions": [good_quiz("emoji", explanation="e" * 199 + "🙂")]},
    )
    assert problems_of(load_quiz_bank, tmp_path) == [
        "ml.yaml: id emoji: explanation is 201 chars (Telegram allows 200)"
    ]


def test_empty_quiz_directory_is_an_error(tmp_path):
    assert problems_of(load_quiz_bank, tmp_path) == [f"{tmp_path}: no *.yaml files"]


# --- interview validation ---------------------------------------------------------------------


def test_valid_interview_file_loads_into_dataclasses(tmp_path):
    write(tmp_path / "i.yaml", {"questions": [good_interview("int-1", section="Projects")]})
    [question] = load_interview_bank(tmp_path, known_sections={"Projects"})
    assert question.kind == "technical" and question.topic == "modeling"
    assert question.talking_points[1] == "A big gap means overfitting."
    assert question.section == "Projects"


def test_every_broken_interview_entry_is_named(tmp_path):
    broken = {
        "bad-kind": {"kind": "behavioral"},
        "bad-topic": {"topic": "cooking"},
        "long-question": {"question": "q" * 301},
        "too-few-points": {"talking_points": ["one", "two"]},
        "too-many-points": {"talking_points": [f"point {n}" for n in range(7)]},
        "points-not-strings": {"talking_points": "a single string"},
        "long-answer": {"model_answer": "a" * 1001},
        "empty-answer": {"model_answer": ""},
        "unknown-section": {"section": "Nowhere"},
    }
    entries = [good_interview("fine-1")] + [
        good_interview(qid, **bad) for qid, bad in broken.items()
    ]
    write(tmp_path / "interview.yaml", {"questions": entries})
    problems = problems_of(load_interview_bank, tmp_path, known_sections={"Projects"})
    for qid in broken:
        assert any(p.startswith(f"interview.yaml: id {qid}: ") for p in problems), (qid, problems)
    assert not any("fine-1" in p for p in problems)
    assert "interview.yaml: id long-answer: model_answer is 1001 chars (limit is 1000)" in problems
