"""HTTP routes of work requests."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from services.operations.work_requests import service
from services.operations.work_requests.schemas import (
    Assignment,
    Closure,
    Progress,
    RequestKind,
    RequestStatus,
    WorkRequestCreate,
    WorkRequestRead,
)
from shared.auth import require_scope
from shared.concurrency import set_etag
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep
from shared.queries import DatedListParams, dated_list_params

router = APIRouter(prefix="/api/v1/work-requests", tags=["work requests"])
READ = [require_scope("operations:read")]
WRITE = [require_scope("operations:write")]


@router.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=WorkRequestRead
)
async def create_request(
    data: WorkRequestCreate, session: SessionDep, response: Response
) -> WorkRequestRead:
    """Raise a request for work from a department; 422 if the department is unknown.

    Requests are also raised from events: a material request when inventory reports an item
    below its reorder point or rejects an order's reservation, an engineering request when
    production reports an order late, a quality request when an inspection fails (one open
    request of a kind per order or item).
    """
    request = await service.create_request(session, data)
    response.headers["Location"] = f"/api/v1/work-requests/{request.id}"
    return WorkRequestRead.model_validate(request)


REQUEST_LIST = dated_list_params(["created_at"], "-created_at", "created_at")


@router.get("", dependencies=READ, response_model=Page[WorkRequestRead])
async def list_requests(
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[DatedListParams, Depends(REQUEST_LIST)],
    department: Annotated[str | None, Query(max_length=64)] = None,
    team: Annotated[str | None, Query(max_length=64)] = None,
    status: RequestStatus | None = None,
    kind: RequestKind | None = None,
    order_id: Annotated[str | None, Query(max_length=64)] = None,
) -> Page[WorkRequestRead]:
    """Work requests, newest first, filtered by department, team, status, kind or order."""
    requests, total = await service.list_requests(
        session,
        page,
        department=department,
        team=team,
        status=status,
        kind=kind,
        order_id=order_id,
        dated=dated,
    )
    return Page.of([WorkRequestRead.model_validate(r) for r in requests], total, page)


@router.get("/{request_id}", dependencies=READ, response_model=WorkRequestRead)
async def get_request(
    request_id: str, session: ReadSessionDep, response: Response
) -> WorkRequestRead:
    """One work request with its progress notes."""
    request = await service.get_request(session, request_id)
    set_etag(response, request.version)
    return WorkRequestRead.model_validate(request)


@router.post("/{request_id}/assign", dependencies=WRITE, response_model=WorkRequestRead)
async def assign(request_id: str, data: Assignment, session: SessionDep) -> WorkRequestRead:
    """Give the request to a team (again to hand it over); 422 if the team is unknown, 409 if
    the request is closed."""
    return WorkRequestRead.model_validate(await service.assign(session, request_id, data))


@router.post("/{request_id}/progress", dependencies=WRITE, response_model=WorkRequestRead)
async def report_progress(request_id: str, data: Progress, session: SessionDep) -> WorkRequestRead:
    """Report progress (the request becomes in_progress); 409 before assignment or once closed."""
    return WorkRequestRead.model_validate(await service.report_progress(session, request_id, data))


@router.post("/{request_id}/close", dependencies=WRITE, response_model=WorkRequestRead)
async def close(request_id: str, data: Closure, session: SessionDep) -> WorkRequestRead:
    """Close the request with its resolution; 409 if it is closed already."""
    return WorkRequestRead.model_validate(await service.close(session, request_id, data))
