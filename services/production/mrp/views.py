"""Open customer deliveries and purchase orders, kept from logistics' events, for MRP to plan from."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.mrp.models import (
    DeliveryLineView,
    ProposedPurchaseLineView,
    PurchaseLineView,
)
from services.production.orders.models import ProductionOrder
from shared.numbers import DecimalValue

ZERO = Decimal(0)
CLOSED_PURCHASE_STATUSES = {"received", "closed", "cancelled"}


class LineSeen(BaseModel):
    """A sku and quantity of an order line."""

    model_config = ConfigDict(extra="ignore")

    sku: str
    quantity: DecimalValue


class DeliveryOrderSeen(BaseModel):
    """What MRP reads of `logistics.delivery_order.created`."""

    model_config = ConfigDict(extra="ignore")

    delivery_order_id: str
    number: str = ""
    due_date: date
    lines: list[LineSeen]


class ShipmentSeen(BaseModel):
    """What MRP reads of `logistics.shipment.dispatched`."""

    model_config = ConfigDict(extra="ignore")

    delivery_order_id: str
    lines: list[LineSeen] = []


class ClosedLineSeen(BaseModel):
    """A line of a cancelled delivery order: how much of it shipped in all."""

    model_config = ConfigDict(extra="ignore")

    sku: str
    shipped: Decimal


class DeliveryCancelledSeen(BaseModel):
    """What MRP reads of `logistics.delivery_order.cancelled`."""

    model_config = ConfigDict(extra="ignore")

    delivery_order_id: str
    lines: list[ClosedLineSeen] = []


class ReservationSeen(BaseModel):
    """The lines of `inventory.reservation.confirmed`."""

    model_config = ConfigDict(extra="ignore")

    lines: list[LineSeen] = []


class ReservationEnded(BaseModel):
    """What MRP reads of a released or consumed reservation."""

    model_config = ConfigDict(extra="ignore")

    reservation_id: str
    reference: str | None = None


class PurchaseOrderSeen(BaseModel):
    """What MRP reads of `logistics.purchase_order.placed`."""

    model_config = ConfigDict(extra="ignore")

    purchase_order_id: str
    number: str = ""
    supplier: str = ""
    expected_date: date | None = None
    lines: list[LineSeen]


class PurchaseProposalSeen(BaseModel):
    """What MRP reads of `logistics.purchase_order.proposed`."""

    model_config = ConfigDict(extra="ignore")

    purchase_order_id: str
    number: str = ""
    supplier: str = ""
    expected_date: date | None = None
    lines: list[LineSeen] = []


class PurchaseReceiptSeen(BaseModel):
    """What MRP reads of `logistics.purchase_order.received`."""

    model_config = ConfigDict(extra="ignore")

    purchase_order_id: str
    lines: list[LineSeen] = []
    status: str = ""


class PurchaseOrderEnded(BaseModel):
    """What MRP reads of a cancelled or closed purchase order."""

    model_config = ConfigDict(extra="ignore")

    purchase_order_id: str


def _totals(lines: list[LineSeen]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in lines:
        totals[line.sku] = totals.get(line.sku, ZERO) + line.quantity
    return totals


async def _delivery_line(session: AsyncSession, order_id: str, sku: str) -> DeliveryLineView:
    row = await session.get(DeliveryLineView, (order_id, sku), with_for_update=True)
    if row is None:
        row = DeliveryLineView(delivery_order_id=order_id, sku=sku, shipped=ZERO, reserved=ZERO)
        session.add(row)
    return row


async def delivery_order_created(session: AsyncSession, seen: DeliveryOrderSeen) -> None:
    """A customer's order: demand on its due date."""
    for sku, quantity in _totals(seen.lines).items():
        row = await _delivery_line(session, seen.delivery_order_id, sku)
        row.ordered = quantity
        row.due_date = seen.due_date
        row.number = seen.number or None
    await session.flush()


async def shipment_dispatched(session: AsyncSession, seen: ShipmentSeen) -> None:
    """Shipped goods no longer need planning."""
    for sku, quantity in _totals(seen.lines).items():
        row = await _delivery_line(session, seen.delivery_order_id, sku)
        row.shipped += quantity
    await session.flush()


async def delivery_cancelled(session: AsyncSession, seen: DeliveryCancelledSeen) -> None:
    """A cancelled delivery order (or its cancelled rest) is demand no more: what shipped of it
    is all it ever asks."""
    for line in seen.lines:
        row = await _delivery_line(session, seen.delivery_order_id, line.sku)
        row.ordered = line.shipped
    await session.flush()


async def delivery_reserved(session: AsyncSession, reference: str, data: dict[str, Any]) -> None:
    """Stock reserved for a delivery order: that much of the order is covered (production orders'
    reservations are the orders' business)."""
    if await session.get(ProductionOrder, reference) is not None:
        return
    seen = ReservationSeen.model_validate(data)
    for sku, quantity in _totals(seen.lines).items():
        row = await _delivery_line(session, reference, sku)
        row.reserved = quantity
    await session.flush()


async def delivery_unreserved(session: AsyncSession, reference: str) -> None:
    """A reservation released, or issued when shipping (the shipment then counts)."""
    await session.execute(
        update(DeliveryLineView)
        .where(DeliveryLineView.delivery_order_id == reference)
        .values(reserved=ZERO)
    )


async def purchase_order_placed(
    session: AsyncSession, seen: PurchaseOrderSeen
) -> dict[str, Decimal]:
    """A placed purchase order: supply on its expected date (no longer a proposal). Returns the
    lines seen first now."""
    await _forget_proposal(session, seen.purchase_order_id)
    first_seen: dict[str, Decimal] = {}
    for sku, quantity in _totals(seen.lines).items():
        row = await session.get(
            PurchaseLineView, (seen.purchase_order_id, sku), with_for_update=True
        )
        if row is None:
            row = PurchaseLineView(
                purchase_order_id=seen.purchase_order_id, sku=sku, received=ZERO, closed=False
            )
            session.add(row)
            first_seen[sku] = quantity
        row.number = seen.number
        row.supplier = seen.supplier
        row.expected_date = seen.expected_date
        row.ordered = quantity
    await session.flush()
    return first_seen


async def purchase_order_proposed(session: AsyncSession, seen: PurchaseProposalSeen) -> None:
    """A draft logistics proposed is supply MRP counts, with its current lines (none: withdrawn);
    once placed, the purchase order counts instead."""
    await _forget_proposal(session, seen.purchase_order_id)
    placed = await session.execute(
        select(PurchaseLineView.sku)
        .where(PurchaseLineView.purchase_order_id == seen.purchase_order_id)
        .limit(1)
    )
    if placed.first() is not None:
        return
    for sku, quantity in _totals(seen.lines).items():
        session.add(
            ProposedPurchaseLineView(
                purchase_order_id=seen.purchase_order_id,
                sku=sku,
                number=seen.number,
                supplier=seen.supplier,
                expected_date=seen.expected_date,
                quantity=quantity,
            )
        )
    await session.flush()


async def _forget_proposal(session: AsyncSession, purchase_order_id: str) -> None:
    await session.execute(
        delete(ProposedPurchaseLineView).where(
            ProposedPurchaseLineView.purchase_order_id == purchase_order_id
        )
    )


async def purchase_order_received(session: AsyncSession, seen: PurchaseReceiptSeen) -> None:
    """Received goods are stock now (inventory counts them), no longer open supply."""
    for sku, quantity in _totals(seen.lines).items():
        row = await session.get(
            PurchaseLineView, (seen.purchase_order_id, sku), with_for_update=True
        )
        if row is not None:
            row.received += quantity
    if seen.status in CLOSED_PURCHASE_STATUSES:
        await purchase_order_ended(session, seen.purchase_order_id)
    await session.flush()


async def purchase_order_ended(session: AsyncSession, purchase_order_id: str) -> None:
    """A cancelled or closed purchase order brings nothing more."""
    await _forget_proposal(session, purchase_order_id)
    await session.execute(
        update(PurchaseLineView)
        .where(PurchaseLineView.purchase_order_id == purchase_order_id)
        .values(closed=True)
    )
