"""Accuracy per quiz question from stored attempts: the store query and the /admin report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.quiz.question_stats import question_report, report_sections
from bot.core.store import QuestionAccuracy, Store
from bot.knowledge.banks import QuizQuestion

NOW = datetime(2025, 5, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'stats.sqlite3'}")
    yield s
    s.close()


def answer(store: Store, user: int, qid: str, *results: bool) -> None:
    for n, correct in enumerate(results):
        store.quiz.record_attempt(user, qid, "ml", correct, now=NOW + timedelta(minutes=n))


@pytest.fixture
def answered(store):
    # ml-bad: 5 of 6 users miss it (two of them get it right on a later try).
    for user in range(1, 6):
        answer(store, user, "ml-bad", False, *([True] if user <= 2 else []))
    answer(store, 6, "ml-bad", True)
    # ml-easy: 6 users, nobody misses; user 1 answers it twice.
    for user in range(1, 7):
        answer(store, user, "ml-easy", True)
    answer(store, 1, "ml-easy", True)
    # ml-mid: 2 of 6 users miss it.
    for user in range(1, 7):
        answer(store, user, "ml-mid", user > 2)
    # ml-rare: only 2 users, both miss it.
    for user in (1, 2):
        answer(store, user, "ml-rare", False)
    return store


def test_question_accuracy_counts_attempts_and_users(answered):
    rows = answered.quiz.question_accuracy(min_users=5)
    assert rows == [
        QuestionAccuracy("ml-bad", "ml", 8, 3, 6, 5),
        QuestionAccuracy("ml-mid", "ml", 6, 4, 6, 2),
        QuestionAccuracy("ml-easy", "ml", 7, 7, 6, 0),
    ]
    assert rows[0].missed_share == 5 / 6 and rows[0].accuracy == 3 / 8


def test_questions_few_users_answered_are_left_out_unless_asked_for(answered):
    assert "ml-rare" not in {r.question_id for r in answered.quiz.question_accuracy(min_users=3)}
    first = answered.quiz.question_accuracy(min_users=1)[0]
    assert (first.question_id, first.users, first.users_missed) == ("ml-rare", 2, 2)


def test_report_lists_mostly_missed_and_never_missed(answered):
    report = question_report(answered.quiz, min_users=5)
    assert [r.question_id for r in report.most_missed] == ["ml-bad"]  # ml-mid: 2 of 6
    assert [r.question_id for r in report.never_missed] == ["ml-easy"]
    assert question_report(answered.quiz, min_users=7).most_missed == []


def test_report_sections_name_the_counts_and_the_question(answered):
    bank = [
        QuizQuestion("ml-bad", "ml", 1, "Which loss? " + "x" * 80, ("a", "b", "c"), 0, "e"),
    ]
    [(missed_title, missed), (easy_title, easy)] = report_sections(
        question_report(answered.quiz), bank
    )
    assert "miss" in missed_title and "too easy" in easy_title
    [line] = missed
    assert line.startswith("ml-bad: 5 of 6 users missed it (3/8 answers right) — Which loss? x")
    assert line.endswith("…") and len(line.split(" — ", 1)[1]) == 60
    assert easy == ["ml-easy: 0 of 6 users missed it (7/7 answers right)"]


def test_an_empty_store_reports_none_yet(store):
    sections = report_sections(question_report(store.quiz))
    assert [lines for _, lines in sections] == [
        ["none yet (counting questions at least 5 users answered)"]
    ] * 2
