"""Daily-quiz streaks in the user's local days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.quiz.streaks import (
    MILESTONES,
    current_streak,
    is_milestone,
    local_dates,
    streak_at,
)

UTC = UTC
D = date(2025, 5, 10)


def days_back(*offsets: int) -> list[date]:
    return [D - timedelta(days=o) for o in offsets]


def test_streak_counts_consecutive_days_ending_today():
    assert current_streak(days_back(0, 1, 2), D) == 3


def test_today_not_yet_answered_keeps_yesterdays_streak():
    assert current_streak(days_back(1, 2, 3, 4), D) == 4


def test_a_missed_day_breaks_the_streak():
    assert current_streak(days_back(2, 3, 4), D) == 0
    assert current_streak(days_back(0, 2, 3), D) == 1
    assert current_streak([], D) == 0


def test_duplicates_and_future_days_are_ignored():
    assert current_streak(days_back(0, 0, 1, -1, -2), D) == 2


def test_midnight_edge_in_the_users_time_zone():
    berlin = ZoneInfo("Europe/Berlin")
    # 23:59:59 and 00:00:00 Berlin (CEST) are two local days, one second apart.
    answers = [
        datetime(2025, 5, 8, 21, 59, 59, tzinfo=UTC),
        datetime(2025, 5, 8, 22, 0, tzinfo=UTC),
    ]
    assert local_dates(answers, berlin) == {date(2025, 5, 8), date(2025, 5, 9)}
    assert streak_at(answers, berlin, datetime(2025, 5, 9, 12, 0, tzinfo=UTC)) == 2
    # In UTC both answers fall on the 8th: a streak of one.
    assert streak_at(answers, "UTC", datetime(2025, 5, 9, 12, 0, tzinfo=UTC)) == 1


def test_streak_survives_until_the_local_day_ends_then_breaks():
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+5:30
    answers = [datetime(2025, 5, d, 4, 0, tzinfo=UTC) for d in (7, 8, 9)]  # 09:30 local
    last_second_of_10th = datetime(2025, 5, 10, 18, 29, 59, tzinfo=UTC)  # 23:59:59 local
    assert streak_at(answers, kolkata, last_second_of_10th) == 3
    assert streak_at(answers, kolkata, last_second_of_10th + timedelta(seconds=1)) == 0


def test_same_instants_differ_by_timezone():
    # 03:00 UTC each day: New York (UTC-4 in May) puts these on the previous local day.
    answers = [datetime(2025, 5, d, 3, 0, tzinfo=UTC) for d in (8, 9, 10)]
    now = datetime(2025, 5, 10, 15, 0, tzinfo=UTC)  # 11:00 in New York on the 10th
    assert streak_at(answers, "America/New_York", now) == 3  # local 7th, 8th, 9th + today open
    assert streak_at(answers, "UTC", now) == 3
    later = datetime(2025, 5, 11, 5, 0, tzinfo=UTC)  # 01:00 on the 11th New York, 05:00 UTC
    assert streak_at(answers, "America/New_York", later) == 0  # the 10th passed without one
    assert streak_at(answers, "UTC", later) == 3


def test_streak_across_a_dst_change():
    berlin = ZoneInfo("Europe/Berlin")
    # 00:30 local each night around the 2025-03-30 spring-forward (CET then CEST).
    answers = [
        datetime(2025, 3, 28, 23, 30, tzinfo=UTC),
        datetime(2025, 3, 29, 23, 30, tzinfo=UTC),
        datetime(2025, 3, 30, 22, 30, tzinfo=UTC),
    ]
    assert local_dates(answers, berlin) == {date(2025, 3, 29), date(2025, 3, 30), date(2025, 3, 31)}
    assert streak_at(answers, berlin, datetime(2025, 3, 31, 10, 0, tzinfo=UTC)) == 3


@pytest.mark.parametrize("n", MILESTONES)
def test_milestones(n):
    assert is_milestone(n)
    assert not is_milestone(n + 1)


def test_milestone_list_and_next():
    assert MILESTONES == (3, 7, 14, 30, 50, 100, 365)
    assert [n for n in range(0, 400) if is_milestone(n)] == list(MILESTONES)
