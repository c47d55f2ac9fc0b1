"""HTTP routes of stock reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.inventory.reports import service
from services.inventory.reports.schemas import StockValueReport
from shared.auth import require_scope
from shared.dependencies import ReadSessionDep

router = APIRouter(prefix="/api/v1/reports", tags=["stock"])
READ = [require_scope("inventory:read")]


@router.get("/stock-value", dependencies=READ, response_model=StockValueReport)
async def stock_value(
    session: ReadSessionDep,
    warehouse: Annotated[
        str | None, Query(max_length=32, description="Only this warehouse.")
    ] = None,
) -> StockValueReport:
    """Stock on hand valued at moving-average cost, per sku, per warehouse and in total."""
    return await service.stock_value(session, warehouse)
