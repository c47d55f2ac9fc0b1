"""Use cases of work requests, raised by people or by other services' events."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.organization.models import Team
from services.operations.organization.service import require_department
from services.operations.work_requests.models import WorkRequest, WorkRequestNote
from services.operations.work_requests.schemas import (
    Assignment,
    Closure,
    Progress,
    WorkRequestCreate,
)
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import IllegalTransition, InvalidInput
from shared.queries import DatedListParams, fetch_page, get_one


def _new(
    *,
    department: str | None,
    kind: str,
    title: str,
    description: str = "",
    order_id: str | None = None,
    work_center: str | None = None,
    sku: str | None = None,
    origin: str = "manual",
) -> WorkRequest:
    now = utcnow()
    return WorkRequest(
        id=new_id(),
        department=department,
        kind=kind,
        title=title[:300],
        description=description,
        order_id=order_id,
        work_center=work_center,
        sku=sku,
        team=None,
        status="open",
        percent_complete=0,
        origin=origin,
        version=1,
        created_at=now,
        updated_at=now,
        notes=[],
    )


async def create_request(session: AsyncSession, data: WorkRequestCreate) -> WorkRequest:
    """Raise a work request from a department."""
    await require_department(session, data.department)
    request = _new(**data.model_dump())
    session.add(request)
    await session.flush()
    return request


async def raise_once(
    session: AsyncSession,
    *,
    kind: str,
    title: str,
    description: str,
    origin: str,
    order_id: str | None = None,
    sku: str | None = None,
) -> WorkRequest | None:
    """Raise a request from an event unless one of that kind is still open for the order or sku."""
    query = select(WorkRequest.id).where(WorkRequest.kind == kind, WorkRequest.status != "closed")
    query = query.where(WorkRequest.order_id == order_id) if order_id else query
    query = query.where(WorkRequest.sku == sku) if sku else query
    if (await session.execute(query.limit(1))).first() is not None:
        return None
    request = _new(
        department=None,
        kind=kind,
        title=title,
        description=description,
        order_id=order_id,
        sku=sku,
        origin=origin,
    )
    session.add(request)
    await session.flush()
    return request


async def get_request(
    session: AsyncSession, request_id: str, *, for_update: bool = False
) -> WorkRequest:
    """A work request by id, or NotFound."""
    return await get_one(
        session,
        WorkRequest,
        request_id,
        f"No work request '{request_id}'.",
        work_request_id=request_id,
        for_update=for_update,
    )


LIST_REQUESTS_DEFAULT = DatedListParams("-created_at")


async def list_requests(
    session: AsyncSession,
    page: PageParams,
    *,
    department: str | None = None,
    team: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    order_id: str | None = None,
    dated: DatedListParams = LIST_REQUESTS_DEFAULT,
) -> tuple[list[WorkRequest], int]:
    """Work requests matching the filters, newest first (or as sorted), one page."""
    query = dated.within(select(WorkRequest), WorkRequest.created_at)
    for column, value in (
        (WorkRequest.department, department),
        (WorkRequest.team, team),
        (WorkRequest.status, status),
        (WorkRequest.kind, kind),
        (WorkRequest.order_id, order_id),
    ):
        if value:
            query = query.where(column == value)
    order = dated.order_by({"created_at": WorkRequest.created_at})
    return await fetch_page(session, query, page, *order, WorkRequest.id)


def _open(request: WorkRequest, action: str) -> None:
    if request.status == "closed":
        raise IllegalTransition(
            f"A closed work request cannot be {action}.",
            work_request_id=request.id,
            current_status="closed",
        )


def _touch(request: WorkRequest) -> None:
    request.version += 1
    request.updated_at = utcnow()


async def assign(session: AsyncSession, request_id: str, data: Assignment) -> WorkRequest:
    """Give the request to a team (again, to hand it over); a request from an event takes the
    team's department."""
    request = await get_request(session, request_id, for_update=True)
    _open(request, "assigned")
    team = await session.get(Team, data.team)
    if team is None:
        raise InvalidInput(f"No team with code '{data.team}'.", team=data.team)
    request.team = team.code
    if request.department is None:
        request.department = team.department
    if request.status == "open":
        request.status = "assigned"
    _touch(request)
    await session.flush()
    return request


async def report_progress(session: AsyncSession, request_id: str, data: Progress) -> WorkRequest:
    """Record progress by the assigned team; 409 before a team has it or after it closed."""
    request = await get_request(session, request_id, for_update=True)
    _open(request, "progressed")
    if request.team is None:
        raise IllegalTransition(
            "Assign the request to a team before reporting progress.",
            work_request_id=request.id,
            current_status=request.status,
        )
    request.notes.append(
        WorkRequestNote(
            id=new_id(),
            position=len(request.notes),
            note=data.note,
            percent_complete=data.percent_complete,
            recorded_at=utcnow(),
        )
    )
    request.percent_complete = data.percent_complete
    request.status = "in_progress"
    _touch(request)
    await session.flush()
    return request


async def close(session: AsyncSession, request_id: str, data: Closure) -> WorkRequest:
    """Close the request with its resolution."""
    request = await get_request(session, request_id, for_update=True)
    _open(request, "closed again")
    request.status = "closed"
    request.resolution = data.resolution
    request.closed_at = utcnow()
    _touch(request)
    await session.flush()
    return request
