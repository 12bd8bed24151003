"""Daily-quiz streaks: consecutive local days (in the user's time zone) with a daily answer.

Today without an answer yet does not break the streak: it only ends once a whole local day
passes without one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

from bot.core.schedule import local_date, parse_timezone

MILESTONES: tuple[int, ...] = (3, 7, 14, 30, 50, 100, 365)


def local_dates(instants: Iterable[datetime], tz: str | tzinfo) -> set[date]:
    """The set of local dates in `tz` on which the given (aware) instants fall."""
    zone = parse_timezone(tz)
    return {local_date(moment, zone) for moment in instants}


def current_streak(dates: Iterable[date], today: date) -> int:
    """Length of the run of consecutive days ending today, or yesterday if today has no
    answer yet; 0 when neither day has one. Days after `today` are ignored."""
    days = {day for day in dates if day <= today}
    cursor = today if today in days else today - timedelta(days=1)
    streak = 0
    while cursor in days:
        streak += 1
        cursor -= timedelta(days=1)
    return streak


def streak_at(instants: Iterable[datetime], tz: str | tzinfo, now: datetime) -> int:
    """Current streak at instant `now` for answers given at `instants`, counted in `tz`."""
    zone = parse_timezone(tz)
    return current_streak(local_dates(instants, zone), local_date(now, zone))


def is_milestone(n: int) -> bool:
    return n in MILESTONES
