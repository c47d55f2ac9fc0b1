"""Events the operations service publishes."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, Field

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


@catalog.register
class DowntimeRecorded(DomainEvent):
    """A work center could not work, or will not, from start to end."""

    event_type: ClassVar[str] = "operations.downtime.recorded"

    downtime_id: str
    work_center: str
    start: datetime
    end: datetime
    kind: Literal["planned", "breakdown"]
    reason: str


@catalog.register
class TaskStarted(DomainEvent):
    """An operator started an operation of a production order."""

    event_type: ClassVar[str] = "operations.task.started"

    task_id: str
    order_id: str
    sequence: int
    work_center: str
    started_at: datetime


@catalog.register
class TaskCompleted(DomainEvent):
    """An operation of a production order was finished, with its quantities and worked time."""

    event_type: ClassVar[str] = "operations.task.completed"

    task_id: str
    order_id: str
    sequence: int
    work_center: str
    started_at: datetime
    completed_at: datetime
    good_quantity: DecimalValue
    scrap_quantity: DecimalValue
    worked_minutes: DecimalValue
    cost_per_hour: DecimalValue
    last_operation: bool = Field(description="True if no later operation of the order is planned.")
