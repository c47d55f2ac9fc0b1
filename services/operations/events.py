"""Events the operations service publishes."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import BaseModel

from shared.events import DomainEvent, EventCatalog
from shared.numbers import DecimalValue

catalog = EventCatalog("operations")


class ShiftTimes(BaseModel):
    """A working span of a day, local "HH:MM" times."""

    start: str
    end: str


class WeeklyShift(ShiftTimes):
    """A shift worked every week on a weekday (0 = Monday)."""

    weekday: int


class CalendarException(BaseModel):
    """A date whose shifts replace the weekly ones."""

    date: date
    shifts: list[ShiftTimes]


class CalendarState(BaseModel):
    """A work center's working calendar."""

    timezone: str
    shifts: list[WeeklyShift]
    holidays: list[date]
    exceptions: list[CalendarException]


class WorkCenterState(DomainEvent):
    """The full state of a work center after a change."""

    code: str
    name: str
    department: str | None = None
    capacity: int
    cost_per_hour: DecimalValue
    calendar: CalendarState
    version: int


@catalog.register
class WorkCenterCreated(WorkCenterState):
    """A work center was added."""

    event_type: ClassVar[str] = "operations.work_center.created"


@catalog.register
class WorkCenterUpdated(WorkCenterState):
    """A work center's data or calendar changed."""

    event_type: ClassVar[str] = "operations.work_center.updated"
