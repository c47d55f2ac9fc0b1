"""Request and response bodies of work centers and their calendars."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.operations.organization.schemas import CODE_PATTERN
from shared.calendars import parse_clock
from shared.numbers import NonNegativeQuantity
from shared.timestamps import PlantDate, example_day

Tolerance = Annotated[NonNegativeQuantity, Field(le=100)]
"""A percentage from 0 to 100."""

CLOCK = Field(pattern=r"^\d\d:\d\d$", description="Local time HH:MM (24:00 = midnight).")


class ShiftTimesWrite(BaseModel):
    """A working span of a day in local time; an end not after the start runs past midnight."""

    model_config = ConfigDict(extra="forbid")

    start: str = Field(pattern=r"^\d\d:\d\d$", examples=["06:00"])
    end: str = Field(pattern=r"^\d\d:\d\d$", examples=["14:00"])

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        parse_clock(value)
        return value


class WeeklyShift(ShiftTimesWrite):
    """A shift worked every week on a weekday."""

    weekday: int = Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday.", examples=[0])


class CalendarException(BaseModel):
    """A date whose shifts replace the weekly ones (no shifts: closed that day)."""

    model_config = ConfigDict(extra="forbid")

    date: PlantDate
    shifts: list[ShiftTimesWrite] = Field(default_factory=list, max_length=10)


class Calendar(BaseModel):
    """When a work center works."""

    model_config = ConfigDict(extra="forbid")

    timezone: str = Field(
        "UTC",
        max_length=64,
        description="IANA time zone of the shift times.",
        examples=["Europe/Berlin"],
    )
    shifts: list[WeeklyShift] = Field(default_factory=list, max_length=100)
    holidays: list[PlantDate] = Field(
        default_factory=list, max_length=1000, description="Local dates with no work."
    )
    exceptions: list[CalendarException] = Field(default_factory=list, max_length=1000)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


CALENDAR_EXAMPLE: dict[str, Any] = {
    "timezone": "Europe/Berlin",
    "shifts": [{"weekday": d, "start": "06:00", "end": "14:00"} for d in range(5)],
    "holidays": [example_day(30)],
    "exceptions": [{"date": example_day(29), "shifts": [{"start": "06:00", "end": "10:00"}]}],
}


class WorkCenterCreate(BaseModel):
    """A new work center."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "DRILL",
                    "name": "Drill press",
                    "department": "FAB",
                    "capacity": 1,
                    "cost_per_hour": "35",
                    "calendar": CALENDAR_EXAMPLE,
                }
            ]
        },
    )

    code: str = Field(
        pattern=CODE_PATTERN, description="Unique code, used by routings.", examples=["DRILL"]
    )
    name: str = Field(min_length=1, max_length=200, examples=["Drill press"])
    department: str | None = Field(
        None, description="Code of an existing department.", examples=["FAB"]
    )
    capacity: int = Field(1, ge=1, le=10_000, description="Operations it can run at once.")
    cost_per_hour: NonNegativeQuantity = Field(
        Decimal(0), description="Cost of an hour of work.", examples=["45.50"]
    )
    calendar: Calendar | None = Field(
        None,
        description="Working time; none means Monday to Friday 08:00-16:00 UTC.",
        examples=[CALENDAR_EXAMPLE],
    )
    report_tolerance_percent: Tolerance = Field(
        Decimal(0),
        description="How far (in %) good plus scrap reported on an operation here may exceed "
        "what reached it from the operation before (or the order quantity for the first).",
        examples=["5"],
    )


class WorkCenterUpdate(BaseModel):
    """Fields to change; the code cannot change."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Welding cell",
                    "department": "FAB",
                    "capacity": 2,
                    "cost_per_hour": "60",
                    "calendar": CALENDAR_EXAMPLE,
                    "report_tolerance_percent": "5",
                }
            ]
        },
    )

    name: str | None = Field(None, min_length=1, max_length=200)
    department: str | None = None
    capacity: int | None = Field(None, ge=1, le=10_000)
    cost_per_hour: NonNegativeQuantity | None = None
    calendar: Calendar | None = None
    report_tolerance_percent: Tolerance | None = None


class WorkCenterRead(BaseModel):
    """A work center as stored, with its full calendar."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    department: str | None
    capacity: int
    cost_per_hour: NonNegativeQuantity
    calendar: Calendar
    report_tolerance_percent: NonNegativeQuantity = Decimal(0)
    version: int = Field(description="Changes on every update; send it back in If-Match.")
    created_at: datetime
    updated_at: datetime
