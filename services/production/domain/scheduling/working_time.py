"""Work center calendars and downtime as the minutes in which a machine cannot run.

The scheduler counts integer minutes from an origin instant. A machine's working time is its
calendar's shifts (merged where they touch) less its downtime; everything else in the planning
window is unavailable. Operations do not split across breaks: each runs inside one stretch of
working time, so an operation longer than a work center's longest stretch cannot be placed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.calendars import Interval, WorkCalendar, subtract, working_intervals


def minutes_between(origin: datetime, instant: datetime) -> int:
    """Whole minutes from the origin to an instant (rounded down)."""
    return int((instant - origin).total_seconds() // 60)


def instant_at(origin: datetime, minutes: int) -> datetime:
    """The instant `minutes` after the origin."""
    return origin + timedelta(minutes=minutes)


def working_stretches(
    origin: datetime,
    window_minutes: int,
    calendar: WorkCalendar,
    downtime: list[Interval],
) -> list[tuple[int, int]]:
    """The machine's working time in [0, window) as minute spans, shrunk to whole minutes."""
    end = instant_at(origin, window_minutes)
    spans = subtract(working_intervals(calendar, origin, end), downtime)
    result = []
    for start, stop in spans:
        first = -(-(start - origin).total_seconds() // 60)  # round up into the span
        last = (stop - origin).total_seconds() // 60
        if last > first:
            result.append((int(first), int(last)))
    return result


def unavailable_periods(
    stretches: list[tuple[int, int]], window_minutes: int
) -> tuple[tuple[int, int], ...]:
    """The complement of the working stretches within [0, window)."""
    blocked = []
    cursor = 0
    for start, end in stretches:
        if start > cursor:
            blocked.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < window_minutes:
        blocked.append((cursor, window_minutes))
    return tuple(blocked)
