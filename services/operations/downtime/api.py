"""HTTP routes of downtime and maintenance plans."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from services.operations.downtime import service
from services.operations.downtime.schemas import (
    DowntimeCreate,
    DowntimeRead,
    MaintenancePlanCreate,
    MaintenancePlanRead,
)
from shared.auth import require_scope
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep
from shared.queries import DatedListParams, dated_list_params
from shared.timestamps import PlantDateTime

router = APIRouter(prefix="/api/v1", tags=["downtime"])
READ = [require_scope("operations:read")]
WRITE = [require_scope("operations:write")]


@router.post(
    "/work-centers/{code}/downtimes",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    response_model=DowntimeRead,
)
async def record_downtime(
    code: str, data: DowntimeCreate, session: SessionDep, response: Response
) -> DowntimeRead:
    """Record a span when the work center cannot work; 422 unless end is after start.

    Publishes `operations.downtime.recorded`, which production's scheduler plans around.
    """
    downtime = await service.record_downtime(session, code, data)
    response.headers["Location"] = f"/api/v1/work-centers/{code}/downtimes"
    return DowntimeRead.model_validate(downtime)


DOWNTIME_LIST = dated_list_params(["start", "recorded_at"], "start", "recorded_at")


@router.get("/work-centers/{code}/downtimes", dependencies=READ, response_model=Page[DowntimeRead])
async def list_downtimes(
    code: str,
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[DatedListParams, Depends(DOWNTIME_LIST)],
    start: Annotated[
        PlantDateTime | None, Query(description="Only downtime ending after this.")
    ] = None,
    end: Annotated[
        PlantDateTime | None, Query(description="Only downtime starting before this.")
    ] = None,
) -> Page[DowntimeRead]:
    """A work center's downtime by start, optionally within a window."""
    downtimes, total = await service.list_downtimes(session, code, page, start, end, dated)
    return Page.of([DowntimeRead.model_validate(d) for d in downtimes], total, page)


@router.post(
    "/maintenance-plans",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    response_model=MaintenancePlanRead,
)
async def create_plan(
    data: MaintenancePlanCreate, session: SessionDep, response: Response
) -> MaintenancePlanRead:
    """Plan maintenance every `every_days` days from `start`; 422 if the work center is unknown.

    Nothing is booked until `generate` turns occurrences into planned downtime.
    """
    plan = await service.create_plan(session, data)
    response.headers["Location"] = f"/api/v1/maintenance-plans/{plan.id}"
    return MaintenancePlanRead.model_validate(plan)


@router.get("/maintenance-plans", dependencies=READ, response_model=Page[MaintenancePlanRead])
async def list_plans(
    session: ReadSessionDep,
    page: PageDep,
    work_center: Annotated[
        str | None, Query(max_length=64, description="Only this work center's plans.")
    ] = None,
) -> Page[MaintenancePlanRead]:
    """Maintenance plans, oldest first."""
    plans, total = await service.list_plans(session, page, work_center)
    return Page.of([MaintenancePlanRead.model_validate(p) for p in plans], total, page)


@router.get("/maintenance-plans/{plan_id}", dependencies=READ, response_model=MaintenancePlanRead)
async def get_plan(plan_id: str, session: ReadSessionDep) -> MaintenancePlanRead:
    """One maintenance plan."""
    return MaintenancePlanRead.model_validate(await service.get_plan(session, plan_id))


@router.post(
    "/maintenance-plans/{plan_id}/generate",
    dependencies=WRITE,
    response_model=list[DowntimeRead],
)
async def generate(
    plan_id: str,
    session: SessionDep,
    until: Annotated[PlantDateTime, Query(description="Book occurrences starting before this.")],
) -> list[DowntimeRead]:
    """Book each occurrence starting before `until` as planned downtime, once.

    Returns the downtimes added now (none if the horizon was covered already); each is
    published as `operations.downtime.recorded`.
    """
    created = await service.generate(session, plan_id, until)
    return [DowntimeRead.model_validate(d) for d in created]
