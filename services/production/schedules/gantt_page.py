"""The Gantt page of a schedule, for a browser: opened from a signed link or after sign-in."""

from __future__ import annotations

from html import escape
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from services.production.schedules import service
from services.production.schedules.chart import schedule_chart
from shared.db import utcnow
from shared.dependencies import ReadSessionDep, SettingsDep
from shared.pages.layout import render_page
from shared.pages.links import link_is_valid, link_secret, signed_query

router = APIRouter(prefix="/schedules", tags=["schedules"])

PAGE_ROUTE = "schedule_gantt_page"


def gantt_url(request: Request, schedule_id: str) -> str:
    """The address of a schedule's Gantt page, signed for an hour when links can be signed."""
    url = str(request.url_for(PAGE_ROUTE, schedule_id=schedule_id))
    secret = link_secret(request.app.state.settings)
    if secret is None:
        return url
    return f"{url}?{signed_query(secret, _path(schedule_id))}"


def _path(schedule_id: str) -> str:
    return f"/schedules/{quote(schedule_id, safe='')}/gantt"


@router.get("/{schedule_id}/gantt", name=PAGE_ROUTE, response_class=HTMLResponse)
async def schedule_gantt_page(
    schedule_id: str,
    session: ReadSessionDep,
    settings: SettingsDep,
    expires: Annotated[int | None, Query(description="Expiry of a signed link.")] = None,
    signature: Annotated[str | None, Query(max_length=128, description="Its signature.")] = None,
) -> HTMLResponse:
    """The schedule's Gantt chart as a page to open in a browser.

    A schedule's `gantt_url` opens it for an hour with no token. Without a valid link the page
    asks for a token once (kept in the browser tab) and loads the chart from
    `/api/v1/schedules/{id}/gantt.svg`.
    """
    title = f"Schedule {schedule_id[:8]} · Gantt"
    secret = link_secret(settings)
    if secret is not None and link_is_valid(secret, _path(schedule_id), expires, signature):
        schedule = await service.get_schedule(session, schedule_id)
        body = f'<div id="gantt" class="gantt">{await schedule_chart(session, schedule, utcnow())}</div>'
        return HTMLResponse(
            render_page(
                f"Schedule v{schedule.version} · Gantt",
                body,
                styles=("gantt.css",),
                needs_sign_in=False,
            )
        )
    notice = (
        "This link has expired or is not valid: sign in with a token to see the chart."
        if expires is not None or signature is not None
        else ""
    )
    source = f"/api/v1/schedules/{quote(schedule_id, safe='')}/gantt.svg"
    body = (
        f'<div id="gantt" class="gantt" hx-get="{escape(source)}" '
        'hx-trigger="load, refresh, every 60s" hx-swap="innerHTML">'
        '<p class="muted">Sign in to see the chart.</p></div>'
    )
    return HTMLResponse(
        render_page(title, body, scripts=("gantt.js",), styles=("gantt.css",), notice=notice)
    )
