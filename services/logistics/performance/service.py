"""On-time in-full of suppliers and of customer deliveries, from stored orders."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.logistics.deliveries.models import DeliveryOrder, Shipment
from services.logistics.domain.performance import Otif, otif
from services.logistics.purchasing.models import PurchaseOrder, Receipt

COMPLETED = ("received", "closed")


async def supplier_outcomes(session: AsyncSession) -> dict[str, Otif]:
    """Per supplier, over purchase orders received or closed with at least one receipt: on time when
    the last receipt came by the expected date, in full when every line got its ordered quantity."""
    last_receipt = (
        select(Receipt.purchase_order_id, func.max(Receipt.received_at).label("last"))
        .group_by(Receipt.purchase_order_id)
        .subquery()
    )
    rows = await session.execute(
        select(PurchaseOrder, last_receipt.c.last)
        .join(last_receipt, last_receipt.c.purchase_order_id == PurchaseOrder.id)
        .where(PurchaseOrder.status.in_(COMPLETED))
    )
    outcomes: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for order, last in rows.all():
        on_time = order.expected_date is None or last.date() <= order.expected_date
        in_full = all(li.received_quantity >= li.quantity for li in order.lines)
        outcomes[order.supplier].append((on_time, in_full))
    return {supplier: otif(o) for supplier, o in sorted(outcomes.items())}


async def delivery_outcomes(session: AsyncSession) -> dict[str, Otif]:
    """Per customer, over delivery orders with a delivered shipment: on time when every delivered
    shipment came by the due date, in full when the delivered shipments carried every line's
    ordered quantity (a backorder still open, or cancelled, is not in full)."""
    rows = await session.execute(
        select(DeliveryOrder, Shipment)
        .join(Shipment, Shipment.delivery_order_id == DeliveryOrder.id)
        .where(Shipment.status == "delivered")
        .order_by(DeliveryOrder.id)
    )
    by_order: dict[str, tuple[DeliveryOrder, list[Shipment]]] = {}
    for order, shipment in rows.all():
        by_order.setdefault(order.id, (order, []))[1].append(shipment)
    outcomes: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for order, shipments in by_order.values():
        delivered: dict[str, Decimal] = defaultdict(Decimal)
        for shipment in shipments:
            for line in shipment.lines:
                delivered[line.sku] += line.quantity
        on_time = all(bool(shipment.on_time) for shipment in shipments)
        in_full = all(delivered[line.sku] >= line.quantity for line in order.lines)
        outcomes[order.customer].append((on_time, in_full))
    return {customer: otif(o) for customer, o in sorted(outcomes.items())}
