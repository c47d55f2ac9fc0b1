"""HTTP routes of standard costs and production order costs."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query

from services.production.costing import service
from services.production.costing.schemas import OrderCostsRead, StandardCostRead
from shared.auth import require_scope
from shared.dependencies import ReadSessionDep
from shared.numbers import PositiveQuantity

READ = [require_scope("production:read")]

router = APIRouter(prefix="/api/v1", tags=["costing"])


@router.get("/products/{sku}/standard-cost", dependencies=READ, response_model=StandardCostRead)
async def standard_cost(
    sku: str,
    session: ReadSessionDep,
    quantity: Annotated[
        PositiveQuantity, Query(description="Batch size the setup times are spread over.")
    ] = Decimal(1),
) -> StandardCostRead:
    """A product's standard cost rolled up through its BOM levels: bought items at their standard
    cost, work-center time (setup per batch, run per unit) at each center's hourly cost, overhead
    as a rate of that; per unit and for the batch, with every level's line. 404 if unknown."""
    return await service.standard_cost(session, sku, quantity)


@router.get("/orders/{order_id}/costs", dependencies=READ, response_model=OrderCostsRead)
async def order_costs(order_id: str, session: ReadSessionDep) -> OrderCostsRead:
    """A production order's standard cost, actual cost (components issued against it at their
    value, reported work-center time at its hourly cost, overhead at the rate) and the variance
    (actual - standard) split into material, labour and overhead."""
    return await service.order_costs(session, order_id)
