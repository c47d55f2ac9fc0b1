"""Request and response bodies of schedules."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.numbers import DecimalValue
from shared.timestamps import PlantDateTime, example_instant

MAX_TIME_LIMIT_SECONDS = 120


class ScheduleCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "order_ids": ["0f6f1c8e-2b7e-4d7c-a0a4-6c3f9e1d2a10"],
                    "objective": "tardiness",
                    "time_limit_seconds": 10,
                    "start": example_instant(1, 6),
                    "direction": "forward",
                }
            ]
        }
    )

    order_ids: list[str] | None = Field(
        default=None,
        max_length=2000,
        description="Released orders to schedule; all released orders when omitted.",
        examples=[["0f6f1c8e-2b7e-4d7c-a0a4-6c3f9e1d2a10"]],
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
        "the plant); an instant already past plans from now. Nothing not yet started is placed "
        "before it; operations the shop floor started keep their actual start.",
        examples=[None],
    )

    direction: Literal["forward", "backward"] = Field(
        default="forward",
        description="forward: every operation as early as possible; backward (just in time): "
        "as late as possible to meet the due dates (never later than forward would finish).",
        examples=["forward"],
    )
    just_in_time: bool = Field(
        default=False, description="The same as `direction: backward`.", examples=[False]
    )

    @property
    def backward(self) -> bool:
        """Whether operations go as late as the due dates allow."""
        return self.direction == "backward" or self.just_in_time

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


class LateReasonRead(BaseModel):
    """What held a late order."""

    reason: Literal["material", "work_center", "due_date"] = Field(
        description="material: it could not start before a component it is short of arrives; "
        "work_center: it waited longest for this work center (other orders, shifts, downtime); "
        "due_date: even without waiting it cannot be made by its due date."
    )
    sku: str | None = Field(None, description="material: the component.", examples=["FRAME"])
    expected_date: date | None = Field(
        None, description="material: when it is expected.", examples=["2026-12-09"]
    )
    source: str | None = Field(
        None,
        description="material: what brings it (a purchase order's number, or `lead time`).",
        examples=["PO-3F2A91C0"],
    )
    work_center: str | None = Field(
        None, description="work_center: the bottleneck.", examples=["WELD"]
    )


class LateOrderRead(BaseModel):
    """An order the schedule finishes after its due date."""

    order_id: str
    number: str | None = Field(None, examples=["MO-1A2B3C4D"])
    due: datetime
    end: datetime = Field(description="Its last operation's planned end.")
    minutes_late: int = Field(examples=[240])
    why: LateReasonRead


class ScheduleRead(ScheduleSummary):
    operations: list[ScheduledOperationRead] = Field(description="Operations by start time.")
    gantt_url: str | None = Field(
        default=None,
        description="The schedule's Gantt page: open it in a browser; the link needs no token "
        "for an hour (then the page asks for one).",
        examples=[
            "http://127.0.0.1:8001/schedules/0c6f.../gantt?expires=1796205600&signature=9f2c..."
        ],
    )
    late_orders: list[LateOrderRead] = Field(
        [], description="Orders planned to end after their due date, each with what held it."
    )


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
