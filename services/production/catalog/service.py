"""Keeping production's views of work centers and downtime from operations' events."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.catalog.models import KnownDowntime, KnownWorkCenter
from shared.numbers import DecimalValue
from shared.views import apply_if_newer


class ShiftSeen(BaseModel):
    """A working shift of a calendar day."""

    model_config = ConfigDict(extra="ignore")

    weekday: int | None = Field(default=None, ge=0, le=6)
    start: str
    end: str


class CalendarExceptionSeen(BaseModel):
    """A date whose shifts differ from the week's pattern."""

    model_config = ConfigDict(extra="ignore")

    date: str
    shifts: list[ShiftSeen] = []


class CalendarSeen(BaseModel):
    """A work center's working calendar."""

    model_config = ConfigDict(extra="ignore")

    timezone: str = "UTC"
    shifts: list[ShiftSeen] = []
    holidays: list[str] = []
    exceptions: list[CalendarExceptionSeen] = []


class WorkCenterSeen(BaseModel):
    """What production reads of a work center event."""

    model_config = ConfigDict(extra="ignore")

    code: str
    name: str
    department: str | None = None
    capacity: int = 1
    cost_per_hour: DecimalValue = Decimal(0)
    calendar: CalendarSeen | None = None
    version: int = 1


class DowntimeSeen(BaseModel):
    """What production reads of a downtime event."""

    model_config = ConfigDict(extra="ignore")

    downtime_id: str
    work_center: str
    start: datetime
    end: datetime
    kind: str = "breakdown"
    reason: str = ""

    @field_validator("start", "end")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        # A time without a zone is taken as UTC, the zone every event is written in.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


async def keep_work_center(session: AsyncSession, seen: WorkCenterSeen, sequence: int) -> bool:
    """Apply a work center event unless a later one was already applied."""
    values: dict[str, Any] = seen.model_dump(exclude={"calendar"})
    values["calendar"] = seen.calendar.model_dump(mode="json") if seen.calendar else None
    return await apply_if_newer(session, KnownWorkCenter, seen.code, sequence, values)


async def keep_downtime(session: AsyncSession, seen: DowntimeSeen, sequence: int) -> bool:
    """Record a downtime (once; a replayed event changes nothing)."""
    return await apply_if_newer(
        session, KnownDowntime, seen.downtime_id, sequence, seen.model_dump()
    )
