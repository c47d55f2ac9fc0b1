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
    operator: str | None = Field(None, description="Who started it (token subject or badge).")
    override_reason: str | None = Field(
        None, description="Set when a supervisor started the task before it was ready."
    )
    waited_for: list[dict[str, str | int | None]] = Field(
        default_factory=list, description="What the task still waited for when overridden."
    )


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
    operator: str | None = Field(None, description="Who completed it.")


@catalog.register
class TaskReported(DomainEvent):
    """An operator reported good and scrap units of a task that is not finished yet (or, with
    the completion, its last units)."""

    event_type: ClassVar[str] = "operations.task.reported"

    task_id: str
    order_id: str
    sequence: int
    work_center: str
    report_id: str
    good_quantity: DecimalValue = Field(description="Good units of this report.")
    scrap_quantity: DecimalValue = Field(description="Scrap units of this report.")
    scrap_reason: str | None = None
    total_good: DecimalValue = Field(description="Good units reported on the task so far.")
    total_scrap: DecimalValue = Field(description="Scrap units reported on the task so far.")
    operator: str
    reported_at: datetime


@catalog.register
class TaskCorrected(DomainEvent):
    """A completed task's quantities were corrected; the reports stay as they were."""

    event_type: ClassVar[str] = "operations.task.corrected"

    task_id: str
    order_id: str
    sequence: int
    work_center: str
    correction_id: str
    old_good_quantity: DecimalValue
    old_scrap_quantity: DecimalValue
    good_quantity: DecimalValue = Field(description="The task's good units from now on.")
    scrap_quantity: DecimalValue = Field(description="The task's scrap units from now on.")
    reason: str
    corrected_by: str
    corrected_at: datetime
    last_operation: bool = Field(description="True if no later operation of the order is planned.")


@catalog.register
class TaskPaused(DomainEvent):
    """A started task was paused, for a loss reason."""

    event_type: ClassVar[str] = "operations.task.paused"

    task_id: str
    order_id: str
    sequence: int
    work_center: str
    reason: str = Field(
        description="A loss reason: breakdown, material, setup, quality, break, other."
    )
    note: str | None = None
    operator: str
    paused_at: datetime
