"""Routes of the station page: the HTML shell (no token) and its dispatch fragment (token)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from services.operations.losses.service import list_loss_reasons
from services.operations.stations.page import dispatch_fragment, station_page
from services.operations.tasks import service as tasks
from services.operations.work_centers.service import get_work_center
from shared.auth import require_scope
from shared.dependencies import PageParams, ReadSessionDep

router = APIRouter(prefix="/stations", tags=["stations"])

FRAGMENT_TASKS = 100
"""How many open tasks the station shows (the dispatch list pages beyond)."""


@router.get("/{code}", response_class=HTMLResponse)
async def station(code: str) -> HTMLResponse:
    """The work center's page for operators, to open in a browser.

    Sign in once with a token (`make token` prints one; kept in the browser tab only). The page
    shows the task running now in large, the paused ones and the dispatch list, with Start,
    Pause (with a reason), Report and Complete; it refreshes every few seconds and after each
    action. Loading the page needs no token; everything it shows and does uses the token.
    """
    return HTMLResponse(station_page(code))


@router.get(
    "/{code}/dispatch",
    response_class=HTMLResponse,
    dependencies=[require_scope("operations:read")],
)
async def station_dispatch(code: str, session: ReadSessionDep) -> HTMLResponse:
    """The station's dispatch list as an HTML fragment (what the page refreshes)."""
    center = await get_work_center(session, code)
    found, total = await tasks.dispatch_list(session, center.code, PageParams(limit=FRAGMENT_TASKS))
    rows = [row.model_dump(mode="json") for row in found]
    timezone = (center.calendar or {}).get("timezone", "UTC")
    reasons = [(r.code, r.name) for r in await list_loss_reasons(session, retired=False)]
    return HTMLResponse(dispatch_fragment(center.code, center.name, timezone, rows, total, reasons))
