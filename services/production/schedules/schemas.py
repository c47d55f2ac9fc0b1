"""Request and response bodies of schedules."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.numbers import DecimalValue
from shared.timestamps import PlantDateTime

MAX_TIME_LIMIT_SECONDS = 120


class ScheduleCreate(BaseModel):
    order_ids: list[str] | None = Field(
        default=None,
        max_length=2000,
        description="Released orders to schedule; all released orders when omitted.",
        examples=[None],
    )
    objective: Literal["makespan", "tardiness"] = Field(
        default="makespan",
        description="makespan, or weighted tardiness (priority as weight) with makespan as "
        "tie-break.",
    )
    time_limit_seconds: float = Field(
        default=10,
        gt=0,
        le=MAX_TIME_LIMIT_SECONDS,
        description="Wall-clock budget of the solve.",
        examples=[10],
    )
    start: PlantDateTime | None = Field(
        default=None,
        description="Plan from this instant (default: now; a date is the start of that day at "
        "the plant). Nothing is placed before it.",
        examples=[None],
    )

    @field_validator("start")
    @classmethod
    def _plausible(cls, value: datetime | None) -> datetime | None:
        if value is not None and not 2000 <= value.year <= 2200:
            raise ValueError("start must fall between the years 2000 and 2200")
        return value


class ScheduledOperationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    order_id: str = Field(description="Production order.")
    product_sku: str = Field(description="Product the order makes.")
    quantity: DecimalValue = Field(description="Order quantity.")
    sequence: int = Field(description="Routing operation sequence.", examples=[10])
    work_center: str = Field(description="Work center.", examples=["MILL"])
    start: datetime = Field(description="Start (UTC).")
    end: datetime = Field(description="End (UTC).")
    setup_minutes: int = Field(description="Setup minutes.", examples=[15])
    run_minutes: int = Field(description="Run minutes for the whole quantity.", examples=[90])


class ScheduleSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    version: int = Field(description="Increases with every stored schedule.", examples=[3])
    replaces: str | None = Field(description="Schedule this re-plan supersedes.")
    reason: str | None = Field(description="Why it was re-planned.")
    objective: Literal["makespan", "tardiness"]
    status: Literal["optimal", "feasible"] = Field(description="Proven optimal or only feasible.")
    lower_bound: int = Field(description="Proven bound on the objective (minutes).")
    makespan_minutes: int = Field(description="Minutes from the plan's start to its last end.")
    tardiness: int = Field(description="Sum over orders of priority x minutes late.")
    origin: datetime = Field(description="The instant the plan starts from.")
    created_at: datetime


class ScheduleRead(ScheduleSummary):
    operations: list[ScheduledOperationRead] = Field(description="Operations by start time.")


class WorkCenterUse(BaseModel):
    work_center: str
    busy_minutes: int = Field(description="Minutes of operations (times parallel units used).")
    available_minutes: int = Field(
        description="Capacity x working minutes (calendar less downtime) over the plan."
    )
    utilisation: float = Field(description="busy / available, 0..1.", examples=[0.82])


class ScheduleKpis(BaseModel):
    schedule_id: str
    makespan_minutes: int
    total_tardiness_minutes: int = Field(description="Sum over orders of minutes late.")
    weighted_tardiness: int = Field(description="Sum over orders of priority x minutes late.")
    late_orders: int
    work_centers: list[WorkCenterUse]
