"""HTTP routes of schedules."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.responses import HTMLResponse

from services.production.schedules import service
from services.production.schedules.chart import schedule_chart
from services.production.schedules.gantt_page import gantt_url
from services.production.schedules.models import StoredSchedule
from services.production.schedules.schemas import (
    MAX_TIME_LIMIT_SECONDS,
    ScheduleCreate,
    ScheduleKpis,
    ScheduleRead,
    ScheduleSummary,
)
from services.production.schedules.sources import OrderSource, order_source
from shared.auth import require_scope
from shared.db import utcnow
from shared.dependencies import Page, PageDep, ReadSessionDep, TransactionsDep
from shared.idempotency import claim_outlasts
from shared.pages.layout import render_page

router = APIRouter(prefix="/api/v1/schedules", tags=["schedules"])
READ = [require_scope("production:read")]
SourceDep = Annotated[OrderSource, Depends(order_source)]


def _read(schedule: StoredSchedule, request: Request) -> ScheduleRead:
    read = ScheduleRead.model_validate(schedule)
    read.gantt_url = gantt_url(request, schedule.id)
    return read


def _solve_seconds(body: bytes) -> float:
    """How long the solve of this request may take (its claim outlasts it by as much)."""
    try:
        return ScheduleCreate.model_validate_json(body or b"{}").time_limit_seconds
    except ValueError:
        return MAX_TIME_LIMIT_SECONDS


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=[require_scope("production:write"), claim_outlasts(_solve_seconds)],
)
async def create_schedule(
    data: ScheduleCreate, tx: TransactionsDep, source: SourceDep, request: Request
) -> ScheduleRead:
    """Schedule released orders on their work centers within shifts and around downtime.

    Each operation runs inside one stretch of its work center's working time (it is not split
    across breaks); a work center runs as many operations at once as it has parallel units.
    The dispatching-rule schedule is found first and kept unless CP-SAT finds a better one
    within the time limit. Stored as a new version and published.

    Open the answer's `gantt_url` in a browser to see the Gantt chart (no token needed for an
    hour), or `/schedules/{id}/gantt` and sign in with a token.
    """
    return _read(await service.create_schedule(tx, data, source), request)


@router.get("", dependencies=READ)
async def list_schedules(session: ReadSessionDep, page: PageDep) -> Page[ScheduleSummary]:
    """Schedules, newest version first."""
    schedules, total = await service.list_schedules(session, page)
    return Page.of([ScheduleSummary.model_validate(s) for s in schedules], total, page)


@router.get("/{schedule_id}", dependencies=READ)
async def get_schedule(schedule_id: str, session: ReadSessionDep, request: Request) -> ScheduleRead:
    """One schedule with its operations.

    Its Gantt chart: open `gantt_url` in a browser (a link that needs no token for an hour), or
    `/schedules/{id}/gantt` and sign in with a token; `/api/v1/schedules/{id}/gantt.svg`
    downloads the chart.
    """
    return _read(await service.get_schedule(session, schedule_id), request)


@router.get("/{schedule_id}/kpis", dependencies=READ)
async def schedule_kpis(schedule_id: str, session: ReadSessionDep) -> ScheduleKpis:
    """Makespan, tardiness and utilisation per work center (busy / capacity x working time)."""
    return await service.schedule_kpis(session, schedule_id)


@router.get(
    "/{schedule_id}/gantt.svg",
    dependencies=READ,
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "The Gantt chart."}},
)
async def gantt_image(schedule_id: str, session: ReadSessionDep) -> Response:
    """The schedule as an SVG Gantt chart: a row per work center, a bar per operation.

    Bars carry the order number, SKU and quantity; off-shift time is shaded, downtime hatched
    with its reason; due dates, late operations and the current time are marked.
    """
    schedule = await service.get_schedule(session, schedule_id)
    return Response(await schedule_chart(session, schedule, utcnow()), media_type="image/svg+xml")


@router.get("/{schedule_id}/gantt", dependencies=READ, response_class=HTMLResponse)
async def gantt_page(schedule_id: str, session: ReadSessionDep) -> HTMLResponse:
    """An HTML page showing the Gantt chart (hover a bar for the order and times).

    For a browser, `/schedules/{id}/gantt` (the schedule's `gantt_url`) needs no bearer header.
    """
    schedule = await service.get_schedule(session, schedule_id)
    chart = await schedule_chart(session, schedule, utcnow())
    page = render_page(
        f"Schedule v{schedule.version} · Gantt",
        f'<div id="gantt" class="gantt">{chart}</div>',
        styles=("gantt.css",),
        needs_sign_in=False,
    )
    return HTMLResponse(page)
