"""QuizService on a real SQLite store: sessions, exactly-once answers, summaries, streaks."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import PROJECT_ROOT
from bot.core.quiz.service import QuizError, QuizService
from bot.core.quiz.texts import (
    parse_option,
    render_outcome_text,
    render_question_text,
    render_summary_text,
)
from bot.core.quiz.topics import resolve_topic
from bot.core.store import Store
from bot.knowledge.banks import TOPICS, QuizQuestion, load_quiz_bank

UTC = UTC
NOW = datetime(2025, 5, 10, 12, 0, tzinfo=UTC)
USER, CHAT = 42, 4200


def q(qid: str, topic: str) -> QuizQuestion:
    return QuizQuestion(
        qid, topic, 1, f"What about {qid}?", ("zero", "one", "two"), 1, f"{qid}: the answer is one."
    )


# Two topics, five questions: a session takes all of them.
SMALL_BANK = [
    q("ml-1", "ml"),
    q("ml-2", "ml"),
    q("prob-1", "probability"),
    q("prob-2", "probability"),
    q("prob-3", "probability"),
]


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'quiz.sqlite3'}")
    yield s
    s.close()


@pytest.fixture(scope="module")
def real_bank():
    return load_quiz_bank(PROJECT_ROOT / "knowledge" / "quiz")


@pytest.fixture
def service(store):
    return QuizService(store.quiz, store.cards, SMALL_BANK)


def wrong_option(question: QuizQuestion) -> int:
    return (question.correct + 1) % len(question.options)


def play(service: QuizService, session, right: set[str], now=NOW):
    """Answer every question through its poll; right for ids in `right`. Returns outcomes."""
    outcomes = []
    for position in range(len(session.question_ids)):
        question = service.current_question(session)
        poll_id = f"poll-{session.session_id[:6]}-{position}"
        service.attach_poll(session.session_id, poll_id)
        option = question.correct if question.id in right else wrong_option(question)
        outcome = service.record_answer(poll_id, option, now=now + timedelta(seconds=position))
        assert outcome is not None
        outcomes.append(outcome)
        session = outcome.session
    return outcomes


# -- topics -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, slug",
    [
        ("stats", "probability"),
        ("statistics", "probability"),
        ("Probability", "probability"),
        ("ml", "ml"),
        ("ML", "ml"),
        ("machine-learning", "ml"),
        ("system design", "engineering"),
        ("modelling", "modeling"),
        ("career", "career"),
        ("cv", "career"),
        ("Data structures and algorithms", "programming"),
        ("probability & statistics", "probability"),
    ],
)
def test_topic_aliases_resolve(text, slug):
    assert resolve_topic(text) == slug


def test_unknown_topic_resolves_to_none():
    assert resolve_topic("cooking") is None


def test_unknown_topic_is_a_friendly_error_listing_the_topics(service):
    with pytest.raises(QuizError) as raised:
        service.start_session(USER, CHAT, topic="cooking", now=NOW)
    message = str(raised.value)
    assert "cooking" in message
    assert all(slug in message for slug in TOPICS)


def test_topic_alias_filters_the_session(store, real_bank):
    service = QuizService(store.quiz, store.cards, real_bank)
    session = service.start_session(USER, CHAT, topic="statistics", now=NOW, rng=random.Random(1))
    assert len(session.question_ids) == 5
    assert {service.question(qid).topic for qid in session.question_ids} == {"probability"}


def test_a_session_has_five_distinct_questions_from_the_real_bank(store, real_bank):
    service = QuizService(store.quiz, store.cards, real_bank)
    session = service.start_session(USER, CHAT, now=NOW, rng=random.Random(3))
    assert len(set(session.question_ids)) == 5
    assert service.active_session(USER).session_id == session.session_id


# -- a full session -----------------------------------------------------------------------


def test_full_session_scores_and_names_the_weakest_topic(service, store):
    session = service.start_session(USER, CHAT, now=NOW, rng=random.Random(0))
    assert sorted(session.question_ids) == sorted(x.id for x in SMALL_BANK)
    # ml: 2/2 right; probability: 1/3 right.
    outcomes = play(service, session, right={"ml-1", "ml-2", "prob-2"})
    assert [o.finished for o in outcomes] == [False] * 4 + [True]
    summary = outcomes[-1].summary
    assert summary.text == "3/5" and (summary.score, summary.total) == (3, 5)
    assert summary.weakest_topic == "probability"
    probability = summary.per_topic["probability"]
    assert (probability.attempts, probability.correct) == (3, 1)
    assert summary.per_topic["ml"].correct == 2
    assert summary.streak is None  # not a daily quiz
    assert outcomes[-1].session.finished_at is not None
    assert store.quiz.active_session(USER) is None
    assert sum(t.attempts for t in store.quiz.accuracy_by_topic(USER)) == 5
    assert "3/5" in render_outcome_text(outcomes[-1])


@pytest.mark.parametrize("strong_before, weakest", [("ml", "probability"), ("probability", "ml")])
def test_weakest_topic_tie_goes_to_the_lower_overall_accuracy(
    service, store, strong_before, weakest
):
    for _ in range(4):  # earlier, all right in one topic
        store.quiz.record_attempt(
            USER, "old", strong_before, correct=True, now=NOW - timedelta(days=3)
        )
    session = service.start_session(USER, CHAT, now=NOW, rng=random.Random(0))
    summary = play(service, session, right=set())[-1].summary
    # Both topics score 0% in this session: overall accuracy breaks the tie.
    assert summary.text == "0/5"
    assert {t.accuracy for t in summary.per_topic.values()} == {0.0}
    assert summary.weakest_topic == weakest


def test_weakest_topic_is_the_lowest_session_accuracy_despite_overall(service, store):
    for _ in range(6):  # probability was strong before; this session it is weaker
        store.quiz.record_attempt(
            USER, "old", "probability", correct=True, now=NOW - timedelta(days=3)
        )
    session = service.start_session(USER, CHAT, now=NOW, rng=random.Random(0))
    summary = play(service, session, right={"prob-1", "ml-1"})[-1].summary  # ml 1/2, prob 1/3
    assert summary.weakest_topic == "probability"


def test_perfect_round_has_no_weakest_topic(service):
    session = service.start_session(USER, CHAT, now=NOW, rng=random.Random(0))
    summary = play(service, session, right={x.id for x in SMALL_BANK})[-1].summary
    assert summary.text == "5/5" and summary.weakest_topic is None


def test_duplicate_answer_to_the_same_poll_changes_nothing(service, store):
    session = service.start_session(USER, CHAT, now=NOW, rng=random.Random(0))
    question = service.current_question(session)
    service.attach_poll(session.session_id, "poll-A")
    first = service.record_answer("poll-A", wrong_option(question), now=NOW)
    assert first is not None and first.correct is False and first.session.position == 1
    card = store.cards.get_card(USER, question.id)
    again = service.record_answer("poll-A", question.correct, now=NOW + timedelta(seconds=1))
    assert again is None
    assert store.quiz.get_session(session.session_id).position == 1
    assert store.quiz.get_session(session.session_id).correct_count == 0
    assert sum(t.attempts for t in store.quiz.accuracy_by_topic(USER)) == 1
    assert store.cards.get_card(USER, question.id) == card


def test_answers_update_leitner_cards(service, store):
    session = service.start_session(USER, CHAT, now=NOW, rng=random.Random(0))
    first = service.current_question(session)
    outcome = service.record_answer(session.session_id, first.correct, now=NOW)
    second = service.current_question(outcome.session)
    service.record_answer(session.session_id, wrong_option(second), now=NOW)
    right_card, wrong_card = (
        store.cards.get_card(USER, first.id),
        store.cards.get_card(USER, second.id),
    )
    assert (right_card.box, right_card.due_at) == (1, NOW + timedelta(days=1))
    assert wrong_card.box == 1 and wrong_card.due_at <= NOW


def test_missed_question_comes_back_first_next_session(service):
    session = service.start_session(USER, CHAT, now=NOW, rng=random.Random(0))
    missed = service.current_question(session)
    play(service, session, right={x.id for x in SMALL_BANK} - {missed.id})
    later = service.start_session(USER, CHAT, now=NOW + timedelta(minutes=5), rng=random.Random(0))
    assert later.question_ids[0] == missed.id


def test_terminal_answers_by_session_id(service):
    session = service.start_session(USER, CHAT, now=NOW, rng=random.Random(0))
    for _ in range(5):
        question = service.current_question(session)
        outcome = service.record_answer(session.session_id, question.correct, now=NOW)
        session = outcome.session
    assert outcome.finished and outcome.summary.text == "5/5"
    assert service.record_answer(session.session_id, 0, now=NOW) is None


def test_out_of_range_option_is_an_error_and_records_nothing(service, store):
    session = service.start_session(USER, CHAT, now=NOW, rng=random.Random(0))
    with pytest.raises(QuizError):
        service.record_answer(session.session_id, 7, now=NOW)
    assert store.quiz.get_session(session.session_id).position == 0
    assert store.quiz.accuracy_by_topic(USER) == []


def test_answers_from_another_user_are_ignored(service):
    session = service.start_session(USER, CHAT, now=NOW, rng=random.Random(0))
    service.attach_poll(session.session_id, "poll-X")
    assert service.record_answer("poll-X", 1, now=NOW, user_id=USER + 1) is None
    assert service.record_answer("poll-X", 1, now=NOW, user_id=USER) is not None


def test_unknown_poll_is_ignored(service):
    assert service.record_answer("no-such-poll", 0, now=NOW) is None


# -- daily streaks ------------------------------------------------------------------------


def test_daily_session_reports_the_streak_and_milestones(service, store):
    for days_ago in (2, 1):
        store.quiz.record_attempt(
            USER, "ml-1", "ml", True, is_daily=True, now=NOW - timedelta(days=days_ago)
        )
    session = service.start_session(USER, CHAT, is_daily=True, now=NOW, rng=random.Random(0))
    summary = play(service, session, right={"ml-1"})[-1].summary
    assert summary.streak == 3 and summary.milestone is True
    text = render_summary_text(summary)
    assert "streak: 3 days" in text and "milestone" in text


def test_first_daily_session_is_a_one_day_streak_not_a_milestone(service):
    session = service.start_session(USER, CHAT, is_daily=True, now=NOW, rng=random.Random(0))
    summary = play(service, session, right=set())[-1].summary
    assert summary.streak == 1 and summary.milestone is False


# -- terminal rendering -------------------------------------------------------------------


def test_render_question_text_numbers_the_options():
    text = render_question_text(SMALL_BANK[0], number=2, total=5)
    assert text.splitlines() == ["Question 2/5: What about ml-1?", "1) zero", "2) one", "3) two"]


@pytest.mark.parametrize(
    "reply, index", [("2", 1), ("b", 1), ("3)", 2), ("Zero", 0), ("9", None), ("maybe", None)]
)
def test_parse_option(reply, index):
    assert parse_option(reply, SMALL_BANK[0]) == index
