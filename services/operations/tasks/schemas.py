"""Bodies of tasks, dispatch lists, execution commands and the schedule event operations reads."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

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
    schedule_id: str
    schedule_version: int
    version: int


class TaskCompletion(BaseModel):
    """The quantities reported when a task is finished."""

    model_config = ConfigDict(extra="forbid")

    good_quantity: NonNegativeQuantity = Field(examples=["48"])
    scrap_quantity: NonNegativeQuantity = Field(Decimal(0), examples=["2"])
