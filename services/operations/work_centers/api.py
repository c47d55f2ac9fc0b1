"""HTTP routes of work centers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from services.operations.work_centers import service
from services.operations.work_centers.schemas import (
    WorkCenterCreate,
    WorkCenterRead,
    WorkCenterUpdate,
)
from shared.auth import require_scope
from shared.concurrency import set_etag
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep

router = APIRouter(prefix="/api/v1/work-centers", tags=["work centers"])
READ = [require_scope("operations:read")]
WRITE = [require_scope("operations:write")]


@router.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=WorkCenterRead
)
async def create_work_center(
    data: WorkCenterCreate, session: SessionDep, response: Response
) -> WorkCenterRead:
    """Add a work center; 409 if the code exists, 422 if the department is unknown.

    Without a calendar it works Monday to Friday, 08:00-16:00 UTC. Publishes
    `operations.work_center.created` with the full state, calendar included.
    """
    center = await service.create_work_center(session, data)
    set_etag(response, center.version)
    response.headers["Location"] = f"/api/v1/work-centers/{center.code}"
    return WorkCenterRead.model_validate(center)


@router.get("", dependencies=READ, response_model=Page[WorkCenterRead])
async def list_work_centers(
    session: ReadSessionDep,
    page: PageDep,
    department: Annotated[
        str | None, Query(max_length=64, description="Only this department's work centers.")
    ] = None,
) -> Page[WorkCenterRead]:
    """List work centers by code, a page at a time."""
    centers, total = await service.list_work_centers(session, page, department)
    return Page.of([WorkCenterRead.model_validate(c) for c in centers], total, page)


@router.get("/{code}", dependencies=READ, response_model=WorkCenterRead)
async def get_work_center(code: str, session: ReadSessionDep, response: Response) -> WorkCenterRead:
    """One work center; its ETag is the version to send back in If-Match."""
    center = await service.get_work_center(session, code)
    set_etag(response, center.version)
    return WorkCenterRead.model_validate(center)


@router.patch("/{code}", dependencies=WRITE, response_model=WorkCenterRead)
async def update_work_center(
    code: str,
    data: WorkCenterUpdate,
    session: SessionDep,
    response: Response,
    if_match: Annotated[str | None, Header(description="The ETag you read (required).")] = None,
) -> WorkCenterRead:
    """Change a work center (a calendar sent replaces the whole calendar); 412 if it changed since
    you read it, 428 without If-Match. Publishes `operations.work_center.updated`."""
    center = await service.update_work_center(session, code, data, if_match)
    set_etag(response, center.version)
    return WorkCenterRead.model_validate(center)
