"""Response bodies of the KPIs, each figure described for the operators who read them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from shared.numbers import DecimalValue


class AvailabilityLoss(BaseModel):
    """Planned minutes lost to one reason."""

    reason: str = Field(
        description="A loss reason of a pause (breakdown, material, setup, quality, break, "
        "other), or the kind of a recorded downtime (breakdown, planned_downtime).",
        examples=["material"],
    )
    minutes: DecimalValue = Field(examples=["35"])


class OeeRead(BaseModel):
    """Overall equipment effectiveness over a window, with the figures it is computed from."""

    work_center: str | None = Field(None, description="The work center (none for a department).")
    start: datetime
    end: datetime
    availability: DecimalValue = Field(description="run_minutes / planned_minutes.")
    performance: DecimalValue = Field(
        description="ideal_minutes / run_minutes; above 1 if the scheduled rate is pessimistic."
    )
    quality: DecimalValue = Field(description="good / total.")
    oee: DecimalValue = Field(description="availability x performance x quality.")
    planned_minutes: DecimalValue = Field(
        description="Working minutes of the calendar in the window, times the capacity."
    )
    downtime_minutes: DecimalValue = Field(
        description="Recorded downtime (planned and breakdown) inside the planned time, times the capacity."
    )
    run_minutes: DecimalValue = Field(
        description="planned_minutes - downtime_minutes - paused_minutes."
    )
    ideal_minutes: DecimalValue = Field(
        description="For each task completed in the window: scheduled run minutes / quantity "
        "(the ideal cycle time) x units made (good + scrap)."
    )
    good: DecimalValue = Field(description="Good units of the tasks completed in the window.")
    total: DecimalValue = Field(description="Good plus scrap units of those tasks.")
    paused_minutes: DecimalValue = Field(
        Decimal(0),
        description="Working minutes tasks were paused in the window (inside planned time).",
    )
    availability_losses: list[AvailabilityLoss] = Field(
        default_factory=list,
        description="Downtime and paused minutes by reason, biggest first.",
    )


class Throughput(BaseModel):
    """What was finished in the window."""

    completed_tasks: int = Field(description="Tasks completed in the window.")
    good_quantity: DecimalValue = Field(description="Good units of those tasks.")
    per_hour: DecimalValue = Field(description="good_quantity per hour of the window.")


class WorkInProgress(BaseModel):
    """Work begun and not finished, now."""

    tasks: int = Field(description="Tasks started or paused now.")
    quantity: DecimalValue = Field(description="Units those tasks are for.")


class FlowKpis(BaseModel):
    """Utilisation, throughput, WIP, schedule adherence and on-time completion."""

    start: datetime
    end: datetime
    available_minutes: DecimalValue = Field(
        description="planned_minutes - downtime_minutes (OEE run time)."
    )
    worked_minutes: DecimalValue = Field(
        description="Minutes worked (pauses excluded) on the tasks completed in the window."
    )
    utilisation: DecimalValue = Field(description="worked_minutes / available_minutes.")
    throughput: Throughput
    wip: WorkInProgress
    schedule_adherence: DecimalValue = Field(
        description="Share of the completed tasks that started within `tolerance_minutes` of "
        "their planned start."
    )
    on_time_completion: DecimalValue = Field(
        description="Share of the completed tasks finished by their planned end."
    )
    tolerance_minutes: int
    oee: OeeRead


class WorkCenterKpis(FlowKpis):
    """The KPIs of one work center."""

    work_center: str


class DepartmentKpis(FlowKpis):
    """The KPIs of a department: its work centers' figures added up, ratios from the sums."""

    department: str
    work_centers: list[str]
