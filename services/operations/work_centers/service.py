"""Use cases of work centers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.database import outbox
from services.operations.events import WorkCenterCreated, WorkCenterUpdated
from services.operations.organization.service import require_department
from services.operations.work_centers.models import WorkCenter
from services.operations.work_centers.schemas import Calendar, WorkCenterCreate, WorkCenterUpdate
from shared.calendars import DEFAULT_CALENDAR_SPEC, WorkCalendar
from shared.concurrency import check_if_match
from shared.db import utcnow
from shared.dependencies import PageParams
from shared.errors import AlreadyExists
from shared.queries import fetch_page, get_by_code


def _calendar_json(calendar: Calendar | None) -> dict[str, Any]:
    if calendar is None:
        return Calendar.model_validate(DEFAULT_CALENDAR_SPEC).model_dump(mode="json")
    return calendar.model_dump(mode="json")


def _state(center: WorkCenter) -> dict[str, object]:
    return {
        "code": center.code,
        "name": center.name,
        "department": center.department,
        "capacity": center.capacity,
        "cost_per_hour": center.cost_per_hour,
        "calendar": center.calendar,
        "version": center.version,
    }


def work_calendar(center: WorkCenter) -> WorkCalendar:
    """The work center's calendar for working-time arithmetic."""
    return WorkCalendar.from_spec(center.calendar)


async def create_work_center(session: AsyncSession, data: WorkCenterCreate) -> WorkCenter:
    """Add a work center and announce it with its calendar."""
    if data.department is not None:
        await require_department(session, data.department)
    if await session.get(WorkCenter, data.code) is not None:
        raise AlreadyExists(
            f"A work center with code '{data.code}' exists already.", code=data.code
        )
    now = utcnow()
    center = WorkCenter(
        code=data.code,
        name=data.name,
        department=data.department,
        capacity=data.capacity,
        cost_per_hour=data.cost_per_hour,
        calendar=_calendar_json(data.calendar),
        report_tolerance_percent=data.report_tolerance_percent,
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(center)
    await session.flush()
    await outbox.record(session, WorkCenterCreated.model_validate(_state(center)), center.code)
    return center


async def get_work_center(
    session: AsyncSession, code: str, *, for_update: bool = False
) -> WorkCenter:
    """A work center by code, or NotFound."""
    return await get_by_code(
        session, WorkCenter, code, "work center", code=code, for_update=for_update
    )


async def update_work_center(
    session: AsyncSession, code: str, data: WorkCenterUpdate, if_match: str | None
) -> WorkCenter:
    """Change a work center, if the caller saw the current version; announce the new state."""
    center = await get_work_center(session, code, for_update=True)
    check_if_match(if_match, center.version)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("department") is not None:
        await require_department(session, changes["department"])
    for name in ("name", "capacity", "cost_per_hour", "report_tolerance_percent"):
        if changes.get(name) is not None:
            setattr(center, name, getattr(data, name))
    if "department" in changes:
        center.department = data.department
    if "calendar" in changes:
        center.calendar = _calendar_json(data.calendar)
    center.version += 1
    center.updated_at = utcnow()
    await session.flush()
    await outbox.record(session, WorkCenterUpdated.model_validate(_state(center)), center.code)
    return center


async def list_work_centers(
    session: AsyncSession, page: PageParams, department: str | None = None
) -> tuple[list[WorkCenter], int]:
    """Work centers by code, optionally of one department, one page, and how many match."""
    query = select(WorkCenter)
    if department:
        query = query.where(WorkCenter.department == department)
    return await fetch_page(session, query, page, WorkCenter.code)
