"""Working-time arithmetic: shifts, overnight shifts, holidays, exceptions, time zones, downtime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from shared.calendars import (
    DEFAULT_CALENDAR,
    DEFAULT_CALENDAR_SPEC,
    WorkCalendar,
    add_working_minutes,
    intersect,
    next_working_instant,
    parse_clock,
    subtract,
    working_intervals,
    working_minutes,
)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# 2026-11-23 is a Monday.
MONDAY = utc(2026, 11, 23)


def test_default_calendar_is_monday_to_friday_eight_to_four() -> None:
    week = working_intervals(DEFAULT_CALENDAR, MONDAY, MONDAY + timedelta(days=7))
    assert week == [(utc(2026, 11, 23 + d, 8), utc(2026, 11, 23 + d, 16)) for d in range(5)]
    assert working_minutes(DEFAULT_CALENDAR, MONDAY, MONDAY + timedelta(days=7)) == 5 * 8 * 60
    assert WorkCalendar.from_spec(DEFAULT_CALENDAR_SPEC) == WorkCalendar.from_spec(None)


def test_window_clips_shifts_at_both_ends() -> None:
    minutes = working_minutes(DEFAULT_CALENDAR, utc(2026, 11, 23, 15, 30), utc(2026, 11, 24, 9, 15))
    assert minutes == 30 + 75


def test_overnight_shift_belongs_to_the_day_it_starts_and_holidays_remove_it() -> None:
    calendar = WorkCalendar.from_spec(
        {
            "timezone": "UTC",
            "shifts": [{"weekday": 0, "start": "22:00", "end": "06:00"}],
            "holidays": ["2026-11-30"],
        }
    )
    # Monday night runs into Tuesday; a window starting Tuesday sees its tail.
    assert working_intervals(calendar, utc(2026, 11, 24), utc(2026, 11, 25)) == [
        (utc(2026, 11, 24), utc(2026, 11, 24, 6))
    ]
    assert working_minutes(calendar, MONDAY, MONDAY + timedelta(days=14)) == 8 * 60


def test_exception_replaces_the_weekly_shifts_of_its_date() -> None:
    calendar = WorkCalendar.from_spec(
        {
            "shifts": [{"weekday": 0, "start": "08:00", "end": "16:00"}],
            "exceptions": [
                {"date": "2026-11-23", "shifts": [{"start": "10:00", "end": "12:00"}]},
                {"date": "2026-11-28", "shifts": [{"start": "06:00", "end": "24:00"}]},
            ],
        }
    )
    assert working_minutes(calendar, MONDAY, MONDAY + timedelta(days=7)) == 120 + 18 * 60


def test_local_shifts_follow_the_time_zone_across_a_daylight_saving_change() -> None:
    calendar = WorkCalendar.from_spec(
        {
            "timezone": "Europe/Berlin",
            "shifts": [{"weekday": d, "start": "08:00", "end": "16:00"} for d in range(7)],
        }
    )
    # Clocks went back on Sunday 2026-10-25: 08:00 Berlin is 06:00 UTC before, 07:00 UTC after.
    days = working_intervals(calendar, utc(2026, 10, 24), utc(2026, 10, 27))
    assert [start.hour for start, _ in days] == [6, 7, 7]
    assert all(end - start == timedelta(hours=8) for start, end in days)
    assert days[0][0].tzinfo == UTC


def test_downtime_is_subtracted_from_working_time() -> None:
    blocked = [
        (utc(2026, 11, 23, 7), utc(2026, 11, 23, 9)),
        (utc(2026, 11, 23, 12), utc(2026, 11, 23, 12, 30)),
    ]
    assert (
        working_minutes(DEFAULT_CALENDAR, MONDAY, MONDAY + timedelta(days=1), blocked)
        == 480 - 60 - 30
    )
    assert subtract(
        [(utc(2026, 1, 1, 8), utc(2026, 1, 1, 16))], [(utc(2026, 1, 1, 10), utc(2026, 1, 1, 11))]
    ) == [
        (utc(2026, 1, 1, 8), utc(2026, 1, 1, 10)),
        (utc(2026, 1, 1, 11), utc(2026, 1, 1, 16)),
    ]
    assert intersect(
        [(utc(2026, 1, 1, 8), utc(2026, 1, 1, 16))], [(utc(2026, 1, 1, 15), utc(2026, 1, 1, 18))]
    ) == [(utc(2026, 1, 1, 15), utc(2026, 1, 1, 16))]


def test_adding_working_minutes_spans_nights_and_weekends() -> None:
    friday_afternoon = utc(2026, 11, 27, 15)
    assert add_working_minutes(DEFAULT_CALENDAR, friday_afternoon, 90) == utc(2026, 11, 30, 8, 30)
    assert add_working_minutes(DEFAULT_CALENDAR, utc(2026, 11, 23, 6), Decimal("0.5")) == utc(
        2026, 11, 23, 8, 0, 30
    )
    assert add_working_minutes(DEFAULT_CALENDAR, friday_afternoon, 0) == friday_afternoon
    long = add_working_minutes(DEFAULT_CALENDAR, MONDAY, 3 * 5 * 480)
    assert long == utc(2026, 12, 11, 16)
    blocked = [(utc(2026, 11, 30, 8), utc(2026, 11, 30, 9))]
    assert add_working_minutes(DEFAULT_CALENDAR, friday_afternoon, 90, blocked) == utc(
        2026, 11, 30, 9, 30
    )


def test_next_working_instant_skips_closed_time_and_blocks() -> None:
    saturday = utc(2026, 11, 28, 12)
    assert next_working_instant(DEFAULT_CALENDAR, saturday) == utc(2026, 11, 30, 8)
    assert next_working_instant(DEFAULT_CALENDAR, utc(2026, 11, 30, 9)) == utc(2026, 11, 30, 9)
    assert next_working_instant(
        DEFAULT_CALENDAR, saturday, [(utc(2026, 11, 30, 7), utc(2026, 11, 30, 10))]
    ) == utc(2026, 11, 30, 10)


def test_calendar_without_shifts_has_no_working_time_and_searches_end() -> None:
    closed = WorkCalendar.from_spec({"timezone": "UTC", "shifts": []})
    assert working_minutes(closed, MONDAY, MONDAY + timedelta(days=30)) == 0
    with pytest.raises(ValueError):
        add_working_minutes(closed, MONDAY, 1)


def test_naive_instants_and_bad_clocks_are_refused() -> None:
    with pytest.raises(ValueError):
        working_intervals(DEFAULT_CALENDAR, datetime(2026, 1, 1), datetime(2026, 1, 2))
    for bad in ("8:00", "25:00", "12:60", "ab:cd"):
        with pytest.raises(ValueError):
            parse_clock(bad)
    assert working_intervals(DEFAULT_CALENDAR, MONDAY, MONDAY) == []
    berlin_monday = datetime(2026, 11, 23, 9, tzinfo=ZoneInfo("Europe/Berlin"))
    assert (
        working_minutes(DEFAULT_CALENDAR, berlin_monday, berlin_monday + timedelta(hours=1)) == 60
    )
