"""Bodies of tasks, dispatch lists, execution commands and the schedule event operations reads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.operations.losses.schemas import REASON_PATTERN
from shared.numbers import DecimalValue, NonNegativeQuantity

TaskStatus = Literal["planned", "started", "paused", "completed", "replaced", "cancelled"]


def _utc(value: datetime) -> datetime:
    # A time without a zone is taken as UTC, the zone every event is written in.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class ScheduledOperation(BaseModel):
    """An operation placed by production's scheduler."""

    model_config = ConfigDict(extra="ignore")

    order_id: str
    product_sku: str = ""
    quantity: DecimalValue = Decimal(0)
    sequence: int
    work_center: str
    start: datetime
    end: datetime
    setup_minutes: DecimalValue = Decimal(0)
    run_minutes: DecimalValue = Decimal(0)

    @field_validator("start", "end")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return _utc(value)


class SchedulePublished(BaseModel):
    """What operations reads of `production.schedule.published`."""

    model_config = ConfigDict(extra="ignore")

    schedule_id: str
    version: int = 1
    replaces: str | None = None
    operations: list[ScheduledOperation] = []


class TaskRead(BaseModel):
    """A task: what is planned, and what was done."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    order_id: str
    product_sku: str
    quantity: DecimalValue
    sequence: int
    work_center: str
    planned_start: datetime
    planned_end: datetime
    setup_minutes: DecimalValue
    run_minutes: DecimalValue
    status: TaskStatus = Field(
        description="planned, started, paused, completed; replaced when a newer schedule re-planned "
        "it; cancelled when its order was cancelled before it started."
    )
    started_at: datetime | None
    paused_at: datetime | None
    completed_at: datetime | None
    good_quantity: DecimalValue | None
    scrap_quantity: DecimalValue | None
    worked_minutes: DecimalValue | None = Field(
        description="Minutes from start to completion, less the time paused."
    )
    paused_minutes: DecimalValue
    reported_good: DecimalValue = Field(
        Decimal(0), description="Good units reported so far (reports, completion, corrections)."
    )
    reported_scrap: DecimalValue = Field(Decimal(0), description="Scrap reported so far.")
    pause_reason: str | None = Field(
        None, description="Why the task is paused (a loss reason), while it is paused."
    )
    started_by: str | None = Field(None, description="The operator who started it.")
    completed_by: str | None = Field(None, description="The operator who completed it.")
    override_reason: str | None = Field(
        None, description="Why a supervisor started it before it was ready."
    )
    overridden_by: str | None = Field(None, description="The supervisor who did.")
    schedule_id: str
    schedule_version: int
    version: int


OPERATOR = Field(
    None,
    min_length=1,
    max_length=200,
    description="The operator's badge, sent by a shared kiosk; default: the token's subject.",
    examples=["badge-0042"],
)


class TaskStart(BaseModel):
    """Who starts the task; a supervisor may start one that is not ready, saying why."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"operator": "badge-0042"}]}
    )

    operator: str | None = OPERATOR
    override_reason: str | None = Field(
        None,
        min_length=3,
        max_length=500,
        description="Start although the task is not ready (needs `admin` or "
        "`operations:supervise`); kept on the task and on the order's timeline.",
        examples=["Rework order: the saw cut was done by hand"],
    )


class TaskPauseRequest(BaseModel):
    """Why the task stops for now."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reason": "material",
                    "note": "Waiting for BOLT-M5 from the store",
                    "operator": "badge-0042",
                }
            ]
        },
    )

    reason: str = Field(
        pattern=REASON_PATTERN,
        description="A loss reason in use, of `GET /api/v1/loss-reasons`.",
        examples=["material"],
    )
    note: str | None = Field(None, max_length=500, examples=["Waiting for BOLT-M5 from the store"])
    operator: str | None = OPERATOR


class TaskResume(BaseModel):
    """Who resumes the task."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"operator": "badge-0042"}]}
    )

    operator: str | None = OPERATOR


class TaskReportCreate(BaseModel):
    """Good and scrap units made since the last report."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"good_quantity": "5", "scrap_quantity": "1"}]},
    )

    good_quantity: NonNegativeQuantity = Field(examples=["5"])
    scrap_quantity: NonNegativeQuantity = Field(Decimal(0), examples=["1"])
    scrap_reason: str | None = Field(None, max_length=200, examples=["porosity in the weld"])
    operator: str | None = OPERATOR


class TaskCompletion(BaseModel):
    """The quantities of a last report when a task is finished (a task with no reports before:
    all it made)."""

    model_config = ConfigDict(extra="forbid")

    good_quantity: NonNegativeQuantity = Field(examples=["48"])
    scrap_quantity: NonNegativeQuantity = Field(Decimal(0), examples=["2"])
    scrap_reason: str | None = Field(None, max_length=200, examples=["burr"])
    operator: str | None = OPERATOR


class TaskClose(BaseModel):
    """Who completes a task with what was reported already."""

    model_config = ConfigDict(extra="forbid")

    operator: str | None = OPERATOR


class TaskCorrectionCreate(BaseModel):
    """The right totals of a completed task, and why the reported ones were wrong."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "good_quantity": "4",
                    "scrap_quantity": "0",
                    "reason": "Recounted the bin: 4 good, one missed at completion",
                    "operator": "badge-0042",
                }
            ]
        },
    )

    good_quantity: NonNegativeQuantity = Field(examples=["18"])
    scrap_quantity: NonNegativeQuantity = Field(examples=["2"])
    reason: str = Field(min_length=3, max_length=500, examples=["Miscounted: 2 frames cracked"])
    operator: str | None = OPERATOR


class TaskReportRead(BaseModel):
    """A report as it was made."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    task_id: str
    good_quantity: DecimalValue
    scrap_quantity: DecimalValue
    scrap_reason: str | None
    operator: str
    reported_at: datetime


class TaskCorrectionRead(BaseModel):
    """A correction: old and new totals, who, when and why."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    task_id: str
    old_good_quantity: DecimalValue
    old_scrap_quantity: DecimalValue
    good_quantity: DecimalValue
    scrap_quantity: DecimalValue
    reason: str
    corrected_by: str
    corrected_at: datetime


class WaitRead(BaseModel):
    """Something a task waits for before it may start."""

    kind: Literal["previous_operation", "materials"]
    sequence: int | None = Field(None, description="The previous operation's sequence.")
    work_center: str | None = None
    reported: DecimalValue | None = Field(
        None, description="Good units the previous operation reported."
    )
    needed: DecimalValue | None = Field(
        None, description="Good units it must report (all, or the routing's overlap quantity)."
    )
    materials_status: str | None = Field(
        None, description="The order's materials: none, pending, short, released or unknown."
    )


Readiness = Literal["ready", "waiting", "late"]

DISPATCH_EXAMPLE: dict[str, Any] = {
    "id": "5b0e6f0c-1d1b-4a0e-9d51-0f3b2b9b3c11",
    "order_id": "0f6f1c8e-2b7e-4d7c-a0a4-6c3f9e1d2a10",
    "order_number": "MO-0F6F1C8E",
    "product_sku": "BIKE-CITY",
    "quantity": "20",
    "reported_good": "0",
    "due_date": "2026-12-15",
    "priority": 5,
    "sequence": 20,
    "work_center": "WELD",
    "status": "planned",
    "readiness": "waiting",
    "waiting_for": [
        {
            "kind": "previous_operation",
            "sequence": 10,
            "work_center": "SAW",
            "reported": "0",
            "needed": "20",
        },
        {"kind": "materials", "materials_status": "short"},
    ],
    "planned_start": "2026-12-02T09:00:00Z",
    "planned_end": "2026-12-02T11:00:00Z",
}


class DispatchRow(TaskRead):
    """A row of a dispatch list: the task, its order, and whether it may start."""

    model_config = ConfigDict(json_schema_extra={"examples": [DISPATCH_EXAMPLE]})

    order_number: str | None = Field(None, description="The order's number (MO-...).")
    due_date: date | None = Field(None, description="The order's due date.")
    priority: int | None = Field(None, description="The order's priority, 1 (low) to 10.")
    readiness: Readiness = Field(
        description="ready; waiting (see waiting_for); late: ready but past its planned end."
    )
    waiting_for: list[WaitRead] = Field(default_factory=list)
