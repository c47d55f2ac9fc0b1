"""Events from the other services that inventory applies, one function per event type."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.genealogy.service import record_receipt_source
from services.inventory.holds.service import active_hold, hold_lot
from services.inventory.manufacturing.service import (
    Component,
    complete_order,
    release_components,
    reserve_components,
)
from services.inventory.manufacturing.waiting import retry_waiting
from services.inventory.receiving.service import ReceivedLine, book_receipt
from shared.consumer import EventHandlers, Received
from shared.numbers import DecimalValue

handlers = EventHandlers()


class ComponentQuantity(BaseModel):
    """A component and how much of it an order needs or used."""

    model_config = ConfigDict(extra="ignore")

    sku: str
    quantity: DecimalValue


class OrderReleased(BaseModel):
    """A production order released to the shop floor."""

    model_config = ConfigDict(extra="ignore")

    order_id: str
    product_sku: str
    quantity: DecimalValue
    due_date: date | None = None
    warehouse: str | None = None
    components: list[ComponentQuantity] = []


class OrderCompleted(BaseModel):
    """A production order finished."""

    model_config = ConfigDict(extra="ignore")

    order_id: str
    product_sku: str
    good_quantity: DecimalValue
    scrap_quantity: DecimalValue = Decimal(0)
    lot: str | None = None
    warehouse: str | None = None
    components: list[ComponentQuantity] = []
    reservation_id: str | None = None
    conversion_cost: DecimalValue = Decimal(0)


class OrderCancelled(BaseModel):
    """A production order cancelled."""

    model_config = ConfigDict(extra="ignore")

    order_id: str
    reason: str | None = None
    reservation_id: str | None = None


class ReceivedGoods(BaseModel):
    """A line of a purchase order receipt."""

    model_config = ConfigDict(extra="ignore")

    sku: str
    quantity: DecimalValue
    lot: str | None = None
    unit_price: DecimalValue


class PurchaseOrderReceived(BaseModel):
    """Goods received at the dock against a purchase order."""

    model_config = ConfigDict(extra="ignore")

    purchase_order_id: str
    receipt_id: str
    number: str | None = None
    supplier: str | None = None
    warehouse: str | None = None
    received_at: datetime | None = None
    lines: list[ReceivedGoods]


class InspectionRecorded(BaseModel):
    """A quality inspection's result."""

    model_config = ConfigDict(extra="ignore")

    inspection_id: str
    order_id: str | None = None
    product_sku: str
    lot: str | None = None
    result: Literal["pass", "fail"]


def _components(lines: list[ComponentQuantity]) -> list[Component]:
    return [Component(sku=line.sku, quantity=line.quantity) for line in lines]


@handlers.on("production.order.released", OrderReleased)
async def on_order_released(session: AsyncSession, event: Received[OrderReleased]) -> None:
    """Reserve the order's components; announces reservation.confirmed or .rejected."""
    data = event.data
    await reserve_components(
        session, data.order_id, data.warehouse, _components(data.components), data.due_date
    )


@handlers.on("production.order.completed", OrderCompleted)
async def on_order_completed(session: AsyncSession, event: Received[OrderCompleted]) -> None:
    """Issue the components and receive the good quantity."""
    data = event.data
    await complete_order(
        session,
        data.order_id,
        data.product_sku,
        data.good_quantity,
        data.lot,
        data.warehouse,
        _components(data.components),
        data.reservation_id,
        data.conversion_cost,
    )


@handlers.on("production.order.cancelled", OrderCancelled)
async def on_order_cancelled(session: AsyncSession, event: Received[OrderCancelled]) -> None:
    """Release what the order had reserved."""
    await release_components(session, event.data.order_id, event.data.reservation_id)


@handlers.on("logistics.purchase_order.received", PurchaseOrderReceived)
async def on_purchase_order_received(
    session: AsyncSession, event: Received[PurchaseOrderReceived]
) -> None:
    """Book the goods as receipts referencing the receipt, once; lines of unknown skus are parked;
    orders waiting for the goods are reserved now, oldest due first."""
    data = event.data
    lines = [
        ReceivedLine(sku=li.sku, quantity=li.quantity, unit_price=li.unit_price, lot=li.lot)
        for li in data.lines
    ]
    booked = await book_receipt(
        session, data.receipt_id, data.warehouse, lines, data.purchase_order_id
    )
    await retry_waiting(session, {movement.sku for movement in booked})
    if booked:
        await record_receipt_source(
            session,
            data.receipt_id,
            data.purchase_order_id,
            data.number,
            data.supplier,
            data.received_at,
        )


@handlers.on("production.inspection.recorded", InspectionRecorded)
async def on_inspection_recorded(
    session: AsyncSession, event: Received[InspectionRecorded]
) -> None:
    """A failed inspection of a lot puts the lot on hold."""
    data = event.data
    if data.result != "fail" or not data.lot:
        return
    if await active_hold(session, data.product_sku, data.lot) is None:
        reason = f"inspection {data.inspection_id} failed"
        await hold_lot(session, data.product_sku, data.lot, reason)
