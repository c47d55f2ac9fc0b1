"""Stock valuation."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.domain.stock import ZERO
from services.inventory.reports.schemas import SkuValue, StockValueReport, WarehouseValue
from services.inventory.stock.models import SkuStock, StockLevel
from shared.numbers import quantize


async def stock_value(session: AsyncSession, warehouse: str | None = None) -> StockValueReport:
    """On hand x moving-average cost per sku and warehouse, and in total."""
    query = select(
        StockLevel.sku, StockLevel.warehouse, func.sum(StockLevel.on_hand), SkuStock.average_cost
    ).join(SkuStock, SkuStock.sku == StockLevel.sku)
    if warehouse:
        query = query.where(StockLevel.warehouse == warehouse)
    query = query.group_by(StockLevel.sku, StockLevel.warehouse, SkuStock.average_cost)
    per_sku: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    per_warehouse: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for sku, place, raw_on_hand, cost in await session.execute(query):
        on_hand = quantize(raw_on_hand or 0)
        if on_hand == ZERO:
            continue
        per_sku[sku][0] += on_hand
        per_sku[sku][1] = cost
        per_warehouse[place] += quantize(on_hand * cost)
    skus = [
        SkuValue(sku=sku, on_hand=q, average_cost=c, value=quantize(q * c))
        for sku, (q, c) in sorted(per_sku.items())
    ]
    return StockValueReport(
        total_value=sum((s.value for s in skus), ZERO),
        by_warehouse=[
            WarehouseValue(warehouse=w, value=v) for w, v in sorted(per_warehouse.items())
        ],
        skus=skus,
    )
