"""Options are shuffled at each delivery: the key still scores, and position carries nothing."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

import pytest

from bot.core.quiz.service import QuizService
from bot.core.quiz.shuffle import as_delivered, option_order, reorder
from bot.core.quiz.texts import parse_option, render_question_text
from bot.core.store import Store
from bot.knowledge.banks import QuizQuestion

NOW = datetime(2025, 5, 10, 12, 0, tzinfo=UTC)
KEY = "cross-entropy"
QUESTION = QuizQuestion(
    "ml-loss", "ml", 1, "Which loss?", ("hinge", KEY, "MSE", "MAE"), 1, "Log loss."
)


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'quiz.sqlite3'}")
    yield s
    s.close()


def test_an_order_is_a_permutation_and_stable_for_one_delivery():
    order = option_order("s1", 2, "ml-loss", 4)
    assert sorted(order) == [0, 1, 2, 3]
    assert option_order("s1", 2, "ml-loss", 4) == order


def test_the_delivered_key_is_the_bank_key_wherever_it_lands():
    for order in [(0, 1, 2, 3), (3, 2, 1, 0), (1, 3, 0, 2)]:
        shown = reorder(QUESTION, order)
        assert shown.correct_option == KEY and sorted(shown.options) == sorted(QUESTION.options)
        assert shown.options[shown.correct] == KEY
        assert (shown.id, shown.explanation) == (QUESTION.id, QUESTION.explanation)
    with pytest.raises(ValueError):
        reorder(QUESTION, (0, 0, 1, 2))


def test_key_positions_vary_across_sessions_about_evenly():
    positions = Counter(as_delivered(QUESTION, f"session-{i}", 0).correct for i in range(400))
    assert set(positions) == {0, 1, 2, 3}
    assert all(60 <= n <= 140 for n in positions.values()), positions  # 100 expected each


def test_a_question_met_again_later_in_a_session_can_move():
    orders = {as_delivered(QUESTION, "one-session", p).options for p in range(10)}
    assert len(orders) > 1


def service_with_one_question(store) -> QuizService:
    return QuizService(store.quiz, store.cards, [QUESTION])


def test_the_service_delivers_shuffled_options_and_keeps_them_for_the_answer(store):
    service = service_with_one_question(store)
    seen = Counter()
    for user in range(40):
        session = service.start_session(user, user, now=NOW, rng=random.Random(0))
        shown = service.current_question(session)
        assert shown.correct_option == KEY
        assert service.current_question(session).options == shown.options  # asked again: same
        seen[shown.correct] += 1
        outcome = service.record_answer(session.session_id, shown.correct, now=NOW)
        assert outcome.correct is True and outcome.question.correct_option == KEY
    assert len(seen) >= 3  # over 40 sessions the key did not sit still
    attempts = store.quiz.accuracy_by_topic(0) + store.quiz.accuracy_by_topic(39)
    assert [(a.attempts, a.correct) for a in attempts] == [(1, 1), (1, 1)]


def test_the_bank_index_is_wrong_when_the_key_was_shown_elsewhere(store):
    """The answer is judged by what was shown, not by where the key sits in the bank."""
    service = service_with_one_question(store)
    for user in range(50):
        session = service.start_session(user, user, now=NOW, rng=random.Random(0))
        shown = service.current_question(session)
        if shown.correct != QUESTION.correct:
            break
    else:
        pytest.fail("the key never moved in 50 sessions")
    service.attach_poll(session.session_id, "poll-1")
    outcome = service.record_answer("poll-1", QUESTION.correct, now=NOW, user_id=user)
    assert outcome.correct is False
    assert shown.options[QUESTION.correct] != KEY
    [accuracy] = store.quiz.accuracy_by_topic(user)
    assert (accuracy.attempts, accuracy.correct) == (1, 0)
    assert store.cards.get_card(user, QUESTION.id).box == 1


def test_the_terminal_numbers_and_parses_the_delivered_order(store):
    service = service_with_one_question(store)
    session = service.start_session(7, 7, now=NOW, rng=random.Random(0))
    shown = service.current_question(session)
    lines = render_question_text(shown, 1, 1).splitlines()
    assert lines[1:] == [f"{i}) {o}" for i, o in enumerate(shown.options, 1)]
    assert parse_option(str(shown.correct + 1), shown) == shown.correct
    assert parse_option(KEY, shown) == shown.correct
    outcome = service.record_answer(session.session_id, parse_option(KEY, shown), now=NOW)
    assert outcome.correct is True
