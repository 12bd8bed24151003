"""Learner statistics from the store, as text and as a PNG chart."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.quiz.stats import UserStats, render_stats_chart, render_stats_text, user_stats
from bot.core.store import Store

UTC = UTC
NOW = datetime(2025, 5, 10, 12, 0, tzinfo=UTC)
USER = 7
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'stats.sqlite3'}")
    yield s
    s.close()


@pytest.fixture
def busy_store(store):
    """Daily answers today and the two days before, plus an older non-daily session."""
    for days_ago, answers in ((0, [True, True, False]), (1, [True]), (2, [False, False])):
        for n, ok in enumerate(answers):
            store.quiz.record_attempt(
                USER,
                f"ml-{n}",
                "ml",
                ok,
                is_daily=True,
                now=NOW - timedelta(days=days_ago, minutes=n),
            )
    store.quiz.record_attempt(USER, "prob-1", "probability", True, now=NOW - timedelta(days=10))
    store.quiz.record_attempt(USER, "old", "probability", True, now=NOW - timedelta(days=45))
    store.cards.upsert_card(USER, "ml-0", 1, NOW - timedelta(hours=1), NOW - timedelta(days=1))
    store.cards.upsert_card(USER, "ml-1", 2, NOW - timedelta(minutes=1), NOW - timedelta(days=2))
    store.cards.upsert_card(USER, "prob-1", 3, NOW + timedelta(days=3), NOW - timedelta(days=1))
    return store


def test_user_stats_collects_accuracy_streak_due_and_activity(busy_store):
    stats = user_stats(busy_store, USER, NOW)
    by_topic = {t.topic: (t.attempts, t.correct) for t in stats.accuracy}
    assert by_topic == {"ml": (6, 3), "probability": (2, 2)}
    assert (stats.total_answered, stats.total_correct) == (8, 5)
    assert stats.streak == 3
    assert stats.due == 2
    assert len(stats.activity) == 30
    assert stats.activity[-1].day == NOW.date()
    assert (stats.activity[-1].attempts, stats.activity[-1].correct) == (3, 2)
    assert (stats.activity[-3].attempts, stats.activity[-3].correct) == (2, 0)
    assert sum(day.attempts for day in stats.activity) == 7  # the 45-day-old one is outside


def test_stats_text_names_the_numbers_and_the_weakest_topic(busy_store):
    text = render_stats_text(user_stats(busy_store, USER, NOW))
    assert "8 questions, 5 correct (62%)" in text
    assert "Daily streak: 3 days" in text
    assert "Due for review now: 2" in text
    assert "ml: 3/6 (50%)" in text and "probability: 2/2 (100%)" in text
    assert "/quiz ml" in text


def test_stats_text_for_a_new_user_invites_a_first_quiz(store):
    stats = user_stats(store, USER, NOW)
    assert stats.total_answered == 0 and stats.streak == 0 and stats.due == 0
    assert "/quiz" in render_stats_text(stats)


def png_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.load()  # raises on a truncated or corrupt file
        return image.size


def test_chart_is_a_valid_png_of_useful_size(busy_store):
    png = render_stats_chart(user_stats(busy_store, USER, NOW))
    assert png[:8] == PNG_MAGIC
    assert len(png) > 10_000
    assert png_size(png) == (800, 360)


def test_chart_differs_with_the_data(busy_store, store):
    busy = render_stats_chart(user_stats(busy_store, USER, NOW))
    empty_stats = UserStats((), 0, 0, 0, 0, tuple(user_stats(store, USER + 1, NOW).activity))
    empty = render_stats_chart(empty_stats)
    assert empty[:8] == PNG_MAGIC and png_size(empty) == (800, 360)
    assert empty != busy
