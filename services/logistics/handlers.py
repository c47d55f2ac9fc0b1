"""Events from the other services that logistics applies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession

from services.logistics.catalog.models import KnownItem, KnownStock
from services.logistics.replenishment.service import propose
from shared.consumer import EventHandlers, Received
from shared.item_view import subscribe_item_view
from shared.numbers import DecimalValue
from shared.stock_view import subscribe_stock_view

handlers = EventHandlers()
subscribe_item_view(handlers, KnownItem)
subscribe_stock_view(handlers, KnownStock)


class BelowReorderPoint(BaseModel):
    """An item's available stock fell below its reorder point."""

    model_config = ConfigDict(extra="ignore")

    sku: str
    reorder_quantity: DecimalValue
    suggested_quantity: DecimalValue | None = None


class PlannedOrder(BaseModel):
    """A line of an MRP run's plan."""

    model_config = ConfigDict(extra="ignore")

    kind: str
    sku: str
    quantity: DecimalValue
    due_date: date | None = None
    supplier: str | None = None


class MrpCompleted(BaseModel):
    """An MRP run's planned orders."""

    model_config = ConfigDict(extra="ignore")

    run_id: str
    planned_orders: list[PlannedOrder] = []


@handlers.on("inventory.stock.below_reorder_point", BelowReorderPoint)
async def on_below_reorder_point(session: AsyncSession, event: Received[BelowReorderPoint]) -> None:
    """Propose buying the suggested (or reorder) quantity from the item's preferred supplier."""
    quantity = event.data.suggested_quantity or event.data.reorder_quantity
    if quantity > 0:
        await propose(session, event.data.sku, quantity)


@handlers.on("production.mrp.completed", MrpCompleted)
async def on_mrp_completed(session: AsyncSession, event: Received[MrpCompleted]) -> None:
    """Propose the run's buy lines, grouped per supplier: one line per sku holding all the run's
    buckets, added to what the draft holds (MRP counts the drafts it knows as supply already)."""
    wanted: dict[tuple[str, str | None], tuple[Decimal, date | None]] = {}
    for planned in event.data.planned_orders:
        if planned.kind == "buy" and planned.quantity > 0:
            key = (planned.sku, planned.supplier)
            total, due = wanted.get(key, (Decimal(0), planned.due_date))
            if due is None or (planned.due_date is not None and planned.due_date < due):
                due = planned.due_date
            wanted[key] = (total + planned.quantity, due)
    for (sku, supplier), (quantity, due) in wanted.items():
        await propose(session, sku, quantity, due, supplier, adding=True)
