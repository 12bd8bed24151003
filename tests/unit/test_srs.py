"""Leitner boxes and the order questions come back in."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.config import PROJECT_ROOT
from bot.core.quiz import srs
from bot.core.store import Card
from bot.knowledge.banks import QuizQuestion, load_quiz_bank

UTC = UTC
NOW = datetime(2025, 5, 10, 12, 0, tzinfo=UTC)


def q(qid: str, topic: str = "ml", difficulty: int = 1) -> QuizQuestion:
    return QuizQuestion(qid, topic, difficulty, f"Question {qid}?", ("a", "b", "c"), 0, "Because.")


def card(qid: str, box: int, due_in: timedelta) -> Card:
    return Card(1, qid, box, NOW + due_in, NOW - timedelta(days=1))


def ids(questions) -> list[str]:
    return [x.id for x in questions]


# -- review -------------------------------------------------------------------------------


def test_first_correct_answer_puts_a_card_in_box_one_for_a_day():
    assert srs.review(None, True, NOW) == (1, NOW + timedelta(days=1))


def test_correct_answer_moves_up_one_box_with_a_longer_interval():
    assert srs.review(card("x", 1, timedelta(0)), True, NOW) == (2, NOW + timedelta(days=2))
    assert srs.review(card("x", 3, timedelta(0)), True, NOW) == (4, NOW + timedelta(days=8))


def test_top_box_stays_top_box():
    assert srs.review(card("x", 5, timedelta(0)), True, NOW) == (5, NOW + timedelta(days=16))


def test_wrong_answer_sends_the_card_back_to_box_one_due_now():
    for previous in (None, card("x", 4, timedelta(days=3))):
        box, due_at = srs.review(previous, False, NOW)
        assert box == 1 and due_at <= NOW


# -- choose_questions ---------------------------------------------------------------------


def test_missed_cards_come_back_before_new_questions():
    bank = [q("new-1"), q("new-2"), q("missed"), q("new-3")]
    cards = {"missed": card("missed", 1, timedelta(0))}
    chosen = srs.choose_questions(bank, cards, NOW, n=3, rng=random.Random(1))
    assert chosen[0].id == "missed"
    assert set(ids(chosen[1:])) <= {"new-1", "new-2", "new-3"}


def test_due_cards_lowest_box_first_then_most_overdue():
    bank = [q("box3-late"), q("box1-recent"), q("box1-old"), q("box2")]
    cards = {
        "box3-late": card("box3-late", 3, -timedelta(days=9)),
        "box1-recent": card("box1-recent", 1, -timedelta(hours=1)),
        "box1-old": card("box1-old", 1, -timedelta(days=2)),
        "box2": card("box2", 2, -timedelta(days=1)),
    }
    chosen = srs.choose_questions(bank, cards, NOW, n=4, rng=random.Random(0))
    assert ids(chosen) == ["box1-old", "box1-recent", "box2", "box3-late"]


def test_new_questions_come_before_cards_that_are_not_due_yet_soonest_first():
    bank = [q("later"), q("sooner"), q("new")]
    cards = {
        "later": card("later", 2, timedelta(days=2)),
        "sooner": card("sooner", 3, timedelta(hours=3)),
    }
    chosen = srs.choose_questions(bank, cards, NOW, n=3, rng=random.Random(0))
    assert ids(chosen) == ["new", "sooner", "later"]


def test_mastered_cards_only_fill_in_when_nothing_else_is_left():
    bank = [q(f"m{i}") for i in range(4)] + [q("new"), q("waiting"), q("due")]
    cards = {f"m{i}": card(f"m{i}", 5, timedelta(days=10 + i)) for i in range(4)}
    cards["waiting"] = card("waiting", 4, timedelta(days=20))  # due after every mastered one
    cards["due"] = card("due", 2, -timedelta(minutes=5))
    chosen = srs.choose_questions(bank, cards, NOW, n=3, rng=random.Random(0))
    assert ids(chosen) == ["due", "new", "waiting"]
    everything = srs.choose_questions(bank, cards, NOW, n=10, rng=random.Random(0))
    assert ids(everything)[3:] == ["m0", "m1", "m2", "m3"]


def test_a_mastered_card_that_is_due_is_asked_like_any_due_card():
    bank = [q("new"), q("mastered-due")]
    cards = {"mastered-due": card("mastered-due", 5, -timedelta(days=1))}
    chosen = srs.choose_questions(bank, cards, NOW, n=1, rng=random.Random(0))
    assert ids(chosen) == ["mastered-due"]


def test_never_repeats_a_question_even_when_asked_for_more_than_the_bank():
    bank = [q("a"), q("b"), q("a"), q("c")]  # a duplicated id must still appear once
    cards = {"b": card("b", 1, -timedelta(days=1))}
    chosen = srs.choose_questions(bank, cards, NOW, n=10, rng=random.Random(0))
    assert sorted(ids(chosen)) == ["a", "b", "c"]


def test_topic_filter_applies_to_due_new_and_waiting_questions():
    bank = [
        q("ml-due", "ml"),
        q("prob-due", "probability"),
        q("ml-new", "ml"),
        q("prob-new", "probability"),
        q("ml-wait", "ml"),
    ]
    cards = {
        "ml-due": card("ml-due", 1, -timedelta(days=1)),
        "prob-due": card("prob-due", 1, -timedelta(days=2)),
        "ml-wait": card("ml-wait", 2, timedelta(days=1)),
    }
    chosen = srs.choose_questions(bank, cards, NOW, n=5, topic="probability", rng=random.Random(0))
    assert ids(chosen) == ["prob-due", "prob-new"]


def test_new_user_gets_easy_questions_spread_over_topics():
    bank = load_quiz_bank(PROJECT_ROOT / "knowledge" / "quiz")
    chosen = srs.choose_questions(bank, {}, NOW, n=5, rng=random.Random(7))
    assert len({x.topic for x in chosen}) == 5
    assert all(x.difficulty == 1 for x in chosen)


def test_easier_unseen_questions_come_first_within_a_topic():
    bank = [q("hard", difficulty=3), q("medium", difficulty=2), q("easy", difficulty=1)]
    assert ids(srs.choose_questions(bank, {}, NOW, n=3, rng=random.Random(3))) == [
        "easy",
        "medium",
        "hard",
    ]


def test_order_is_deterministic_for_a_seeded_rng():
    bank = load_quiz_bank(PROJECT_ROOT / "knowledge" / "quiz")
    first = srs.choose_questions(bank, {}, NOW, n=5, rng=random.Random(42))
    again = srs.choose_questions(bank, {}, NOW, n=5, rng=random.Random(42))
    assert ids(first) == ids(again)
    others = {
        tuple(ids(srs.choose_questions(bank, {}, NOW, n=5, rng=random.Random(seed))))
        for seed in range(5)
    }
    assert len(others) > 1  # the rng really varies which easy questions come up
