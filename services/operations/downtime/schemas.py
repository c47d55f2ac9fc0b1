"""Request and response bodies of downtimes and maintenance plans."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.operations.losses.schemas import REASON_PATTERN
from shared.timestamps import PlantDateTime, example_instant

DowntimeKind = Literal["planned", "breakdown"]


class DowntimeCreate(BaseModel):
    """A span when the work center cannot work."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "start": example_instant(1, 8),
                    "end": example_instant(1, 10),
                    "kind": "breakdown",
                    "reason": "wire feeder jammed",
                    "loss_reason": "breakdown",
                }
            ]
        },
    )

    start: PlantDateTime = Field(examples=[example_instant(1, 8)])
    end: PlantDateTime = Field(description="After start.", examples=[example_instant(1, 10)])
    kind: DowntimeKind = Field(description="planned (maintenance, changeover) or breakdown")
    reason: str = Field("", max_length=500, examples=["wire feeder jammed"])
    loss_reason: str | None = Field(
        None,
        pattern=REASON_PATTERN,
        description="A loss reason in use, of `GET /api/v1/loss-reasons`, which OEE counts the "
        "stop under; none: by its kind (breakdown, or planned downtime).",
        examples=["breakdown"],
    )

    @model_validator(mode="after")
    def _ordered(self) -> DowntimeCreate:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class DowntimeRead(BaseModel):
    """A downtime as recorded."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    work_center: str
    start: datetime
    end: datetime
    kind: DowntimeKind
    reason: str
    loss_reason: str | None = None
    maintenance_plan_id: str | None
    recorded_at: datetime


class MaintenancePlanCreate(BaseModel):
    """Maintenance repeated every so many days from a first start."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "work_center": "WELD",
                    "every_days": 7,
                    "duration_minutes": 120,
                    "start": example_instant(7, 6),
                    "reason": "Weekly torch and wire feeder service",
                }
            ]
        },
    )

    work_center: str = Field(examples=["WELD"])
    every_days: int = Field(ge=1, le=3650, examples=[7])
    duration_minutes: int = Field(ge=1, le=7 * 24 * 60, examples=[120])
    start: PlantDateTime = Field(description="First occurrence.", examples=[example_instant(7, 6)])
    reason: str = Field("", max_length=500, examples=["Weekly torch and wire feeder service"])


class MaintenancePlanRead(BaseModel):
    """A maintenance plan and how many occurrences it has turned into downtime."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    work_center: str
    every_days: int
    duration_minutes: int
    start: datetime
    reason: str
    generated: int = Field(description="Occurrences recorded as planned downtime so far.")
    created_at: datetime
