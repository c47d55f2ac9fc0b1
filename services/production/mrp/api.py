"""HTTP routes of MRP runs, planned orders and forecasts."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Response, status

from services.production.mrp import service
from services.production.mrp.schemas import (
    ForecastCreate,
    ForecastRead,
    PlannedOrderRead,
    RunRead,
    RunRequest,
)
from shared.auth import require_scope
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep
from shared.queries import DatedListParams, dated_list_params

READ = [require_scope("production:read")]
WRITE = [require_scope("production:write")]

router = APIRouter(prefix="/api/v1/mrp", tags=["mrp"])
forecasts = APIRouter(prefix="/api/v1/forecasts", tags=["mrp"])


@router.post(
    "/runs", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=RunRead
)
async def run_mrp(data: RunRequest, session: SessionDep, response: Response) -> RunRead:
    """Run MRP from today over `horizon_days` (publishes `production.mrp.completed`).

    Demand: open customer delivery orders (less what has shipped) and forecasts (less the orders
    of their bucket), components of production orders not yet released. Supply: stock on hand
    (less reserved and held), open purchase and production orders, firmed planned buy orders.
    BOMs explode level by level (scrap included) with each item's lead time; every planned order
    is pegged to the demands it serves."""
    run = await service.run_mrp(session, data)
    response.headers["Location"] = f"/api/v1/mrp/runs/{run.id}"
    return RunRead.model_validate(run)


RUN_LIST = dated_list_params(["created_at"], "-created_at", "created_at")


@router.get("/runs", dependencies=READ, response_model=Page[RunRead])
async def list_runs(
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[DatedListParams, Depends(RUN_LIST)],
) -> Page[RunRead]:
    """MRP runs, newest first."""
    rows, total = await service.list_runs(session, page, dated)
    return Page.of([RunRead.model_validate(r) for r in rows], total, page)


@router.get("/runs/{run_id}", dependencies=READ, response_model=RunRead)
async def get_run(run_id: str, session: ReadSessionDep) -> RunRead:
    """One MRP run with its planned orders and exceptions."""
    return RunRead.model_validate(await service.get_run(session, run_id))


@router.post(
    "/planned-orders/{planned_order_id}/firm", dependencies=WRITE, response_model=PlannedOrderRead
)
async def firm_planned_order(planned_order_id: str, session: SessionDep) -> PlannedOrderRead:
    """Firm a planned order: a make order becomes a production order (`production_order_id`), a
    buy order stays firmed supply; later runs do not plan it again. 409 if firmed already."""
    return PlannedOrderRead.model_validate(
        await service.firm_planned_order(session, planned_order_id)
    )


@forecasts.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=ForecastRead
)
async def create_forecast(
    data: ForecastCreate, session: SessionDep, response: Response
) -> ForecastRead:
    """Record expected sales of a sku on a date; MRP plans for what orders do not cover."""
    forecast = await service.create_forecast(session, data)
    # Percent-encoded: a header carries ASCII only, and a sku may hold any character.
    response.headers["Location"] = f"/api/v1/forecasts?{urlencode({'sku': forecast.sku})}"
    return ForecastRead.model_validate(forecast)


@forecasts.get("", dependencies=READ, response_model=Page[ForecastRead])
async def list_forecasts(
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[DatedListParams, Depends(RUN_LIST)],
    sku: Annotated[str | None, Query(description="Only this sku's forecasts.")] = None,
) -> Page[ForecastRead]:
    """Forecasts by date."""
    rows, total = await service.list_forecasts(session, page, sku)
    return Page.of([ForecastRead.model_validate(r) for r in rows], total, page)
