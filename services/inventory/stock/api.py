"""HTTP routes of stock levels."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.inventory.domain.stock import available
from services.inventory.stock import service
from services.inventory.stock.rebuild import rebuild_levels
from services.inventory.stock.schemas import LevelRead, RebuildReport, StockRead, WarehouseStockRead
from services.inventory.stock.service import StockView
from shared.auth import require_scope
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep
from shared.numbers import quantize

router = APIRouter(prefix="/api/v1/stock", tags=["stock"])
READ = [require_scope("inventory:read")]
ADMIN = [require_scope("admin")]


def stock_read(view: StockView) -> StockRead:
    """An sku's stock as the API shows it."""
    return StockRead(
        sku=view.sku,
        on_hand=view.on_hand,
        reserved=view.reserved,
        on_hold=view.on_hold,
        available=view.available,
        average_cost=view.average_cost,
        value=quantize(view.on_hand * view.average_cost),
        by_warehouse=[WarehouseStockRead.model_validate(w.model_dump()) for w in view.by_warehouse],
        levels=[
            LevelRead(
                warehouse=lv.warehouse,
                location=lv.location or None,
                lot=lv.lot or None,
                expires_on=lv.expires_on,
                on_hand=lv.on_hand,
                reserved=lv.reserved,
                on_hold=lv.on_hold,
                available=available(lv.on_hand, lv.reserved, lv.on_hold),
            )
            for lv in view.levels
        ],
    )


@router.get("", dependencies=READ, response_model=Page[StockRead])
async def list_stock(
    session: ReadSessionDep,
    page: PageDep,
    sku_prefix: Annotated[
        str | None, Query(max_length=64, description="Skus starting with.")
    ] = None,
) -> Page[StockRead]:
    """Stock of every sku that ever had any, by sku, a page at a time."""
    views, total = await service.list_stock(session, page, sku_prefix)
    return Page.of([stock_read(v) for v in views], total, page)


@router.post("/rebuild", dependencies=ADMIN, response_model=RebuildReport)
async def rebuild(session: SessionDep) -> RebuildReport:
    """Recompute on-hand levels and average costs from the ledger and fix any that differ (admin)."""
    return await rebuild_levels(session)


@router.get("/{sku}", dependencies=READ, response_model=StockRead)
async def get_stock(sku: str, session: ReadSessionDep) -> StockRead:
    """An sku's stock: on hand, reserved, on hold, available, average cost, per warehouse; 404 if
    the sku is not an item."""
    return stock_read(await service.get_stock(session, sku))
