"""Local times, time zones and the next daily-quiz run across zones and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.schedule import (
    ScheduleError,
    fire_instant,
    format_local_time,
    local_date,
    local_day_bounds,
    next_run_at,
    parse_local_time,
    parse_timezone,
    timezone_name,
)

UTC = UTC
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:30", time(8, 30)),
        ("8:30", time(8, 30)),
        (" 23:59 ", time(23, 59)),
        ("7.05", time(7, 5)),
        ("9h15", time(9, 15)),
        ("0:00", time(0, 0)),
        ("18", time(18, 0)),
    ],
)
def test_parse_local_time_accepts_common_forms(text, expected):
    assert parse_local_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "12:60", "noon", "", "8:3", "-1:00", "12:30:15"])
def test_parse_local_time_rejects_with_friendly_error(text):
    with pytest.raises(ScheduleError) as excinfo:
        parse_local_time(text)
    assert "HH:MM" in str(excinfo.value) or "00 to 23" in str(excinfo.value)


def test_format_local_time_is_zero_padded():
    assert format_local_time("8:05") == "08:05"
    assert format_local_time(time(7, 0, 42)) == "07:00"


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("UTC+5:30", timedelta(hours=5, minutes=30)),
        ("+02:00", timedelta(hours=2)),
        ("GMT-3", timedelta(hours=-3)),
        ("utc+0530", timedelta(hours=5, minutes=30)),
        ("UTC -03:30", timedelta(hours=-3, minutes=-30)),
        ("-7", timedelta(hours=-7)),
        ("UTC+14", timedelta(hours=14)),
        ("UTC\u22125", timedelta(hours=-5)),
        ("UTC", timedelta(0)),
        ("gmt", timedelta(0)),
        ("UTC+0", timedelta(0)),
    ],
)
def test_parse_timezone_fixed_offsets(text, offset):
    assert parse_timezone(text).utcoffset(datetime(2025, 1, 1)) == offset


def test_parse_timezone_iana_names_any_case():
    assert parse_timezone("Europe/Berlin") == BERLIN
    assert parse_timezone("europe/berlin") == BERLIN
    assert parse_timezone("America/New York") == NEW_YORK
    # The IANA "Etc/GMT-3" is UTC+3 (inverted sign), unlike the human "GMT-3".
    assert parse_timezone("Etc/GMT-3").utcoffset(datetime(2025, 1, 1)) == timedelta(hours=3)


@pytest.mark.parametrize(
    "text", ["Mars/Olympus", "", "   ", "UTC+15", "UTC-13", "+05:75", "../../etc/passwd"]
)
def test_parse_timezone_rejects_with_friendly_error(text):
    with pytest.raises(ScheduleError) as excinfo:
        parse_timezone(text)
    assert "time zone" in str(excinfo.value).lower() or "offset" in str(excinfo.value).lower()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("europe/berlin", "Europe/Berlin"),
        ("UTC+5:30", "UTC+05:30"),
        ("GMT-3", "UTC-03:00"),
        ("+00:00", "UTC"),
        ("Asia/Kolkata", "Asia/Kolkata"),
    ],
)
def test_timezone_name_is_canonical_and_round_trips(text, name):
    assert timezone_name(text) == name
    assert timezone_name(name) == name


@pytest.mark.parametrize(
    ("tz", "after", "expected"),
    [
        # Berlin winter (UTC+1): 08:30 local is 07:30 UTC.
        ("Europe/Berlin", utc(2025, 1, 15, 6, 0), utc(2025, 1, 15, 7, 30)),
        ("Europe/Berlin", utc(2025, 1, 15, 7, 30), utc(2025, 1, 16, 7, 30)),  # strictly after
        # Berlin summer (UTC+2).
        ("Europe/Berlin", utc(2025, 7, 1, 12, 0), utc(2025, 7, 2, 6, 30)),
        # New York winter (UTC-5): the local date is still the 14th at 03:00 UTC on the 15th.
        ("America/New_York", utc(2025, 1, 15, 3, 0), utc(2025, 1, 15, 13, 30)),
        # Kolkata UTC+5:30, no DST: 08:30 local = 03:00 UTC; at 23:00 UTC it is already tomorrow.
        ("Asia/Kolkata", utc(2025, 6, 1, 23, 0), utc(2025, 6, 2, 3, 0)),
        ("UTC+5:30", utc(2025, 6, 1, 2, 59), utc(2025, 6, 1, 3, 0)),
        ("GMT-3", utc(2025, 6, 1, 12, 0), utc(2025, 6, 2, 11, 30)),
    ],
)
def test_next_run_at_across_zones(tz, after, expected):
    assert next_run_at("08:30", tz, after) == expected


def test_next_run_at_keeps_wall_clock_across_spring_forward_berlin():
    # 2025-03-30: Berlin jumps 02:00 CET -> 03:00 CEST.
    before = next_run_at("08:30", BERLIN, utc(2025, 3, 29, 12, 0))
    after = next_run_at("08:30", BERLIN, before)
    assert before == utc(2025, 3, 30, 6, 30)  # already CEST (UTC+2)
    assert after - next_run_at("08:30", BERLIN, utc(2025, 3, 28, 12, 0)) == timedelta(hours=47)
    assert after.astimezone(BERLIN).time() == time(8, 30)


def test_nonexistent_time_fires_at_first_valid_instant_after_gap():
    # 02:30 does not exist in Berlin on 2025-03-30: fire when the clocks jump, 03:00 CEST.
    run = next_run_at("02:30", BERLIN, utc(2025, 3, 29, 12, 0))
    assert run == utc(2025, 3, 30, 1, 0)
    assert run.astimezone(BERLIN).replace(tzinfo=None) == datetime(2025, 3, 30, 3, 0)
    # And back to 02:30 CEST the next day, only once on the gap day.
    assert next_run_at("02:30", BERLIN, run) == utc(2025, 3, 31, 0, 30)


def test_nonexistent_time_new_york_spring_forward():
    # 2025-03-09: New York jumps 02:00 EST -> 03:00 EDT.
    run = next_run_at("02:15", NEW_YORK, utc(2025, 3, 8, 12, 0))
    assert run == utc(2025, 3, 9, 7, 0)  # 03:00 EDT
    assert local_date(run, NEW_YORK) == date(2025, 3, 9)


def test_ambiguous_time_fires_once_at_first_occurrence_new_york():
    # 2025-11-02: 01:30 happens twice in New York (EDT 05:30 UTC, then EST 06:30 UTC).
    first = next_run_at("01:30", NEW_YORK, utc(2025, 11, 1, 12, 0))
    assert first == utc(2025, 11, 2, 5, 30)
    following = next_run_at("01:30", NEW_YORK, first)
    assert following == utc(2025, 11, 3, 6, 30)  # not the second 01:30 that same night


def test_ambiguous_time_berlin_fall_back():
    # 2025-10-26: 02:30 happens twice in Berlin (CEST 00:30 UTC, CET 01:30 UTC).
    first = next_run_at("02:30", BERLIN, utc(2025, 10, 25, 12, 0))
    assert first == utc(2025, 10, 26, 0, 30)
    # Asking between the two occurrences must not return the second one.
    assert next_run_at("02:30", BERLIN, utc(2025, 10, 26, 1, 0)) == utc(2025, 10, 27, 1, 30)


def test_daily_runs_are_one_per_local_day_through_a_whole_year():
    for tz in (BERLIN, NEW_YORK, KOLKATA, parse_timezone("UTC-03:30")):
        for wall in ("00:00", "01:30", "02:30", "23:59"):
            run = next_run_at(wall, tz, utc(2024, 12, 30, 12, 0))
            days = []
            while run < utc(2026, 1, 3):
                days.append(local_date(run, tz))
                run = next_run_at(wall, tz, run)
            assert len(days) == len(set(days)), (tz, wall)
            assert all(b - a == timedelta(days=1) for a, b in zip(days, days[1:])), (tz, wall)
            assert sum(day.year == 2025 for day in days) == 365, (tz, wall)


def test_fire_instant_for_an_ordinary_day():
    assert fire_instant(date(2025, 1, 15), "08:30", "Asia/Kolkata") == utc(2025, 1, 15, 3, 0)


def test_next_run_at_rejects_naive_datetimes():
    with pytest.raises(ValueError):
        next_run_at("08:30", BERLIN, datetime(2025, 1, 1, 12, 0))


def test_local_day_bounds_cover_23_and_25_hour_days():
    start, end = local_day_bounds(date(2025, 3, 30), BERLIN)
    assert (start, end - start) == (utc(2025, 3, 29, 23, 0), timedelta(hours=23))
    start, end = local_day_bounds(date(2025, 10, 26), BERLIN)
    assert (start, end - start) == (utc(2025, 10, 25, 22, 0), timedelta(hours=25))
