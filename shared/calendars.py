"""Working-time arithmetic on shift calendars: pure functions, no I/O.

A calendar has a time zone, weekly shifts (weekday 0 = Monday, local "HH:MM" times), holidays
(local dates with no work) and exceptions (local dates whose shifts replace the weekly ones).
A shift whose end is not after its start runs past midnight into the next day; it belongs to the
day it starts on, so a holiday or an exception on that day removes or replaces it. All instants
given and returned are timezone-aware; results are in UTC.

Operations uses this for planned time in its KPIs; production's scheduler uses the same
arithmetic to place operations within shifts, so both agree on what a working minute is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]
"""A half-open span of time [start, end), both timezone-aware."""

MAX_SEARCH_DAYS = 3660
"""How far ahead a search for working time looks before deciding the calendar has none."""


def parse_clock(text: str) -> time:
    """A local time of day from "HH:MM"; "24:00" means the end of the day."""
    hours, _, minutes = text.partition(":")
    if len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError(f"not a HH:MM time: {text!r}")
    h, m = int(hours), int(minutes)
    if (h, m) == (24, 0):
        return time.max
    if h > 23 or m > 59:
        raise ValueError(f"not a time of day: {text!r}")
    return time(h, m)


def format_clock(value: time) -> str:
    """The "HH:MM" form of a local time of day."""
    return "24:00" if value == time.max else f"{value.hour:02d}:{value.minute:02d}"


@dataclass(frozen=True)
class ShiftTimes:
    """One working span of a day, from start to end local time (end <= start: past midnight)."""

    start: time
    end: time


@dataclass(frozen=True)
class WorkCalendar:
    """When a resource works: weekly shifts, minus holidays, with per-date exceptions."""

    timezone: str = "UTC"
    weekly: Mapping[int, tuple[ShiftTimes, ...]] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()
    exceptions: Mapping[date, tuple[ShiftTimes, ...]] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.timezone)

    def shifts_on(self, day: date) -> tuple[ShiftTimes, ...]:
        """The shifts that start on a local date."""
        if day in self.exceptions:
            return self.exceptions[day]
        if day in self.holidays:
            return ()
        return self.weekly.get(day.weekday(), ())

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any] | None) -> WorkCalendar:
        """A calendar from its JSON form ({timezone, shifts, holidays, exceptions}); None: the default."""
        if spec is None:
            return DEFAULT_CALENDAR
        weekly: dict[int, list[ShiftTimes]] = {}
        for shift in spec.get("shifts", ()):
            weekly.setdefault(int(shift["weekday"]), []).append(
                ShiftTimes(parse_clock(shift["start"]), parse_clock(shift["end"]))
            )
        exceptions = {
            _as_date(exception["date"]): tuple(
                ShiftTimes(parse_clock(s["start"]), parse_clock(s["end"]))
                for s in exception.get("shifts", ())
            )
            for exception in spec.get("exceptions", ())
        }
        return cls(
            timezone=spec.get("timezone", "UTC"),
            weekly={day: tuple(shifts) for day, shifts in weekly.items()},
            holidays=frozenset(_as_date(d) for d in spec.get("holidays", ())),
            exceptions=exceptions,
        )


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


DEFAULT_SHIFT = ShiftTimes(time(8), time(16))
DEFAULT_CALENDAR = WorkCalendar(weekly={day: (DEFAULT_SHIFT,) for day in range(5)})
"""Monday to Friday, 08:00 to 16:00 UTC."""

DEFAULT_CALENDAR_SPEC: dict[str, Any] = {
    "timezone": "UTC",
    "shifts": [{"weekday": day, "start": "08:00", "end": "16:00"} for day in range(5)],
    "holidays": [],
    "exceptions": [],
}
"""The JSON form of the default calendar."""


def _require_aware(*instants: datetime) -> None:
    for instant in instants:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("naive datetime given; use timezone-aware instants")


def _local_instant(day: date, clock: time, zone: ZoneInfo) -> datetime:
    if clock == time.max:
        return datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    return datetime.combine(day, clock, zone).astimezone(UTC)


def _day_intervals(calendar: WorkCalendar, day: date) -> Iterator[Interval]:
    zone = calendar.zone
    for shift in calendar.shifts_on(day):
        start = _local_instant(day, shift.start, zone)
        end_day = day if shift.end > shift.start else day + timedelta(days=1)
        end = _local_instant(end_day, shift.end, zone)
        if end > start:
            yield start, end


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping intervals covering the same time (touching ones joined)."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def working_intervals(calendar: WorkCalendar, start: datetime, end: datetime) -> list[Interval]:
    """The calendar's working time between two instants, as merged UTC intervals."""
    _require_aware(start, end)
    if end <= start:
        return []
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    zone = calendar.zone
    # A shift starting the day before may run past midnight into the window.
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date()
    spans: list[Interval] = []
    while day <= last:
        for shift_start, shift_end in _day_intervals(calendar, day):
            clipped = (max(shift_start, start), min(shift_end, end))
            if clipped[1] > clipped[0]:
                spans.append(clipped)
        day += timedelta(days=1)
    return merge(spans)


def subtract(intervals: Iterable[Interval], blocked: Iterable[Interval]) -> list[Interval]:
    """The parts of the intervals not covered by any blocked interval (e.g. downtime)."""
    remaining = merge(intervals)
    for block_start, block_end in merge(blocked):
        next_remaining: list[Interval] = []
        for start, end in remaining:
            if block_end <= start or block_start >= end:
                next_remaining.append((start, end))
                continue
            if start < block_start:
                next_remaining.append((start, block_start))
            if block_end < end:
                next_remaining.append((block_end, end))
        remaining = next_remaining
    return remaining


def intersect(first: Iterable[Interval], second: Iterable[Interval]) -> list[Interval]:
    """The time covered by both sets of intervals."""
    a, b = merge(first), merge(second)
    result: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if end > start:
            result.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return result


def minutes_in(intervals: Iterable[Interval]) -> Decimal:
    """The total length of intervals in minutes (exact, from whole microseconds)."""
    total = sum(((end - start) for start, end in intervals), timedelta())
    micro = (total.days * 86_400 + total.seconds) * 1_000_000 + total.microseconds
    return Decimal(micro) / Decimal(60_000_000)


def working_minutes(
    calendar: WorkCalendar,
    start: datetime,
    end: datetime,
    blocked: Sequence[Interval] = (),
) -> Decimal:
    """Working minutes between two instants, less any blocked intervals (downtime)."""
    return minutes_in(subtract(working_intervals(calendar, start, end), blocked))


def next_working_instant(
    calendar: WorkCalendar, instant: datetime, blocked: Sequence[Interval] = ()
) -> datetime:
    """The first instant at or after `instant` when the calendar works (and nothing blocks it)."""
    _require_aware(instant)
    window = timedelta(days=7)
    start = instant.astimezone(UTC)
    limit = start + timedelta(days=MAX_SEARCH_DAYS)
    while start < limit:
        free = subtract(working_intervals(calendar, start, start + window), blocked)
        if free:
            return free[0][0]
        start += window
    raise ValueError(f"no working time within {MAX_SEARCH_DAYS} days")


def add_working_minutes(
    calendar: WorkCalendar,
    start: datetime,
    minutes: Decimal | int | float,
    blocked: Sequence[Interval] = (),
) -> datetime:
    """When work of `minutes` working minutes begun at `start` ends, spanning breaks as needed."""
    _require_aware(start)
    remaining = timedelta(microseconds=int(Decimal(str(minutes)) * 60_000_000))
    if remaining < timedelta(0):
        raise ValueError("minutes must not be negative")
    cursor = start.astimezone(UTC)
    if remaining == timedelta(0):
        return cursor
    window = timedelta(days=7)
    limit = cursor + timedelta(days=MAX_SEARCH_DAYS)
    while cursor < limit:
        for span_start, span_end in subtract(
            working_intervals(calendar, cursor, cursor + window), blocked
        ):
            length = span_end - span_start
            if length >= remaining:
                return span_start + remaining
            remaining -= length
        cursor += window
    raise ValueError(f"not enough working time within {MAX_SEARCH_DAYS} days")
