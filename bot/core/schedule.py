"""Local times and time zones for the daily quiz, as pure functions.

A subscription says "08:30 in Europe/Berlin"; the store keeps the next firing instant in UTC
and asks this module for the one after it. Two DST rules, chosen so that a user gets exactly
one quiz per local day:

* a local time that does not exist that day (spring-forward gap) fires at the first valid
  instant after it, i.e. the moment the clocks jump (02:30 in Berlin on the last Sunday of
  March fires at 03:00 CEST);
* a local time that happens twice (fall-back overlap) fires once, at its first occurrence.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

UTC = UTC

_TIME_RE = re.compile(r"^\s*(\d{1,2})\s*[:.h]\s*(\d{2})\s*$", re.IGNORECASE)
_HOUR_ONLY_RE = re.compile(r"^\s*(\d{1,2})\s*$")
# "UTC+5:30", "GMT-3", "+02:00", "utc +0530", "UTC-03"
_OFFSET_RE = re.compile(
    r"^(?:UTC|GMT|Z)?\s*([+\-\u2212])\s*(\d{1,2})(?:(?::|\.)?(\d{2}))?$", re.IGNORECASE
)
_UTC_NAMES = {"utc", "gmt", "z", "zulu", "utc0", "gmt0", "utc+0", "utc-0", "gmt+0", "gmt-0"}
# Real-world offsets span UTC-12:00 .. UTC+14:00.
_MIN_OFFSET = timedelta(hours=-12)
_MAX_OFFSET = timedelta(hours=14)


class ScheduleError(ValueError):
    """A user-supplied time or time zone we cannot use; the message is safe to show the user."""


def parse_local_time(text: str | time) -> time:
    """`"08:30"`, `"8:30"`, `"8.30"`, `"8h30"` or `"8"` → `time(8, 30)`; seconds are dropped."""
    if isinstance(text, time):
        return text.replace(second=0, microsecond=0, tzinfo=None)
    if not isinstance(text, str):
        raise ScheduleError("Send the time as HH:MM, for example 08:30.")
    match = _TIME_RE.match(text) or _HOUR_ONLY_RE.match(text)
    if not match:
        raise ScheduleError(
            f"“{text.strip()[:20]}” is not a time. Send it as HH:MM, for example 08:30."
        )
    hour = int(match.group(1))
    minute = int(match.group(2)) if match.lastindex and match.lastindex >= 2 else 0
    if hour > 23 or minute > 59:
        raise ScheduleError("Hours go from 00 to 23 and minutes from 00 to 59, for example 08:30.")
    return time(hour, minute)


def format_local_time(value: time | str) -> str:
    """The canonical "HH:MM" form stored in the database."""
    return parse_local_time(value).strftime("%H:%M")


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """Lower-cased IANA name → canonical spelling, so "europe/berlin" works too."""
    return {name.lower(): name for name in available_timezones()}


def _fixed_offset(sign: str, hours: str, minutes: str | None) -> timezone:
    if minutes is not None and int(minutes) > 59:
        raise ScheduleError("Offset minutes go from 00 to 59, for example UTC+5:30.")
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if sign in "-\u2212":
        delta = -delta
    if not _MIN_OFFSET <= delta <= _MAX_OFFSET:
        raise ScheduleError("UTC offsets go from UTC-12:00 to UTC+14:00.")
    if not delta:
        return UTC
    return timezone(delta, name=_offset_name(delta))


def _offset_name(delta: timedelta) -> str:
    sign = "-" if delta < timedelta(0) else "+"
    minutes = abs(int(delta.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def parse_timezone(text: str | tzinfo) -> tzinfo:
    """An IANA name ("Europe/Berlin", any case) or a fixed offset ("UTC+5:30", "+02:00",
    "GMT-3") → tzinfo. "GMT-3" means three hours *behind* UTC, as people write it (unlike
    the inverted IANA "Etc/GMT-3", which is still accepted verbatim)."""
    if isinstance(text, tzinfo):
        return text
    if not isinstance(text, str) or not text.strip():
        raise ScheduleError("Send a time zone such as Europe/Berlin or UTC+2.")
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if cleaned.lower().replace(" ", "") in _UTC_NAMES:
        return UTC
    offset = _OFFSET_RE.match(cleaned)
    if offset:
        return _fixed_offset(*offset.groups())
    canonical = _zone_names().get(cleaned.lower().replace(" ", "_"))
    if canonical is None:
        raise ScheduleError(
            f"I don't know the time zone “{cleaned[:40]}”. Use a name such as Europe/Berlin, "
            "America/New_York or Asia/Kolkata, or an offset such as UTC+5:30."
        )
    try:
        return ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # pragma: no cover - tzdata mismatch
        raise ScheduleError(f"The time zone “{canonical}” is not available here.") from exc


def timezone_name(tz: str | tzinfo) -> str:
    """The canonical string stored in the database: the IANA key, "UTC" or "UTC+05:30"."""
    zone = parse_timezone(tz)
    key = getattr(zone, "key", None)
    if key:
        return key
    offset = zone.utcoffset(None)
    if offset is None:
        raise ScheduleError("That time zone has no fixed offset; use an IANA name instead.")
    return "UTC" if not offset else _offset_name(offset)


def _require_aware(moment: datetime, name: str = "datetime") -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got naive {moment!r})")
    return moment


def _exists(naive: datetime, zone: tzinfo) -> bool:
    aware = naive.replace(tzinfo=zone, fold=0)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


def fire_instant(day: date, local_time: time | str, tz: str | tzinfo) -> datetime:
    """The UTC instant at which `local_time` fires on local date `day` (DST rules above)."""
    zone = parse_timezone(tz)
    naive = datetime.combine(day, parse_local_time(local_time))
    if _exists(naive, zone):
        # fold=0 is the first occurrence of an ambiguous wall time.
        return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    # In a gap, fold=1 maps the wall time with the post-transition offset (an instant before
    # the jump) and fold=0 with the pre-transition one (after it); the jump lies between.
    low = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if low > high:
        low, high = high, low
    after_offset = high.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == after_offset:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0) if high.microsecond else high


def next_run_at(local_time: time | str, tz: str | tzinfo, after: datetime) -> datetime:
    """The first UTC instant strictly after `after` at which `local_time` fires in `tz`."""
    zone = parse_timezone(tz)
    wall = parse_local_time(local_time)
    after_utc = _require_aware(after, "after").astimezone(UTC)
    local_day = after_utc.astimezone(zone).date()
    # Start a day early: a gap shift can move yesterday's firing past midnight in theory.
    for step in range(-1, 4):
        candidate = fire_instant(local_day + timedelta(days=step), wall, zone)
        if candidate > after_utc:
            return candidate
    raise ScheduleError("Could not find the next run time.")  # pragma: no cover


def local_date(moment: datetime, tz: str | tzinfo) -> date:
    """The calendar date in `tz` at instant `moment`."""
    return _require_aware(moment, "moment").astimezone(parse_timezone(tz)).date()


def local_day_bounds(day: date, tz: str | tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of local date `day` as UTC instants (23 or 25 hours long on DST days)."""
    zone = parse_timezone(tz)
    start = fire_instant(day, time(0, 0), zone)
    end = fire_instant(day + timedelta(days=1), time(0, 0), zone)
    return start, end
