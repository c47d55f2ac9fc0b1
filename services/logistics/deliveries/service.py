"""Use cases of delivery orders and shipments."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.logistics.database import outbox
from services.logistics.deliveries import stock
from services.logistics.deliveries.models import DeliveryOrder, DeliveryOrderLine, Shipment
from services.logistics.deliveries.schemas import (
    DeliveryOrderCreate,
    ShipmentStatusUpdate,
    ShipRequest,
)
from services.logistics.domain.shipping import can_move, on_time
from services.logistics.events import (
    DeliveryOrderCreated,
    ShipmentDelivered,
    ShipmentDispatched,
    ShipmentException,
    ShipmentInTransit,
    ShippedLine,
)
from services.logistics.purchasing.models import Carrier
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import IllegalTransition, InvalidInput
from shared.queries import fetch_page, get_one


async def create_delivery_order(session: AsyncSession, data: DeliveryOrderCreate) -> DeliveryOrder:
    """Record a customer's order and announce the demand."""
    skus = [line.sku for line in data.lines]
    if len(set(skus)) != len(skus):
        raise InvalidInput(
            "A sku appears twice.", duplicate_skus=sorted({s for s in skus if skus.count(s) > 1})
        )
    now = utcnow()
    order_id = new_id()
    order = DeliveryOrder(
        id=order_id,
        number=f"DO-{order_id[:8].upper()}",
        customer=data.customer,
        ship_to=data.ship_to,
        due_date=data.due_date,
        warehouse=data.warehouse,
        status="open",
        version=1,
        created_at=now,
        updated_at=now,
        lines=[
            DeliveryOrderLine(line_no=n, sku=li.sku, quantity=li.quantity)
            for n, li in enumerate(data.lines, 1)
        ],
    )
    session.add(order)
    await session.flush()
    event = DeliveryOrderCreated(
        delivery_order_id=order.id,
        customer=order.customer,
        ship_to=order.ship_to,
        due_date=order.due_date,
        lines=[ShippedLine(sku=li.sku, quantity=li.quantity) for li in order.lines],
    )
    await outbox.record(session, event, order.id)
    return order


async def get_delivery_order(
    session: AsyncSession, order_id: str, *, for_update: bool = False
) -> DeliveryOrder:
    """A delivery order by id, or NotFound."""
    return await get_one(
        session,
        DeliveryOrder,
        order_id,
        f"No delivery order '{order_id}'.",
        delivery_order_id=order_id,
        for_update=for_update,
    )


async def list_delivery_orders(
    session: AsyncSession, page: PageParams, status: str | None = None, customer: str | None = None
) -> tuple[list[DeliveryOrder], int]:
    """Delivery orders matching the filters, by due date, one page."""
    query = select(DeliveryOrder)
    if status:
        query = query.where(DeliveryOrder.status == status)
    if customer:
        query = query.where(DeliveryOrder.customer == customer)
    return await fetch_page(session, query, page, DeliveryOrder.due_date, DeliveryOrder.id)


def _require(order: DeliveryOrder, allowed: tuple[str, ...], action: str) -> None:
    if order.status not in allowed:
        raise IllegalTransition(
            f"A {order.status} delivery order cannot be {action}.",
            status=order.status,
            allowed=list(allowed),
        )


def _touch(order: DeliveryOrder, status: str) -> None:
    order.status = status
    order.version += 1
    order.updated_at = utcnow()


async def pick(session: AsyncSession, app: FastAPI, order_id: str, key: str) -> DeliveryOrder:
    """Reserve the goods in inventory; 409 with the shortages if they are not all available."""
    order = await get_delivery_order(session, order_id, for_update=True)
    _require(order, ("open",), "picked")
    lines = [(li.sku, li.quantity) for li in order.lines]
    order.reservation_id = await stock.reserve(
        app, order.id, lines, order.warehouse, f"{key}:reserve"
    )
    _touch(order, "picked")
    await session.flush()
    return order


async def ship(
    session: AsyncSession, app: FastAPI, order_id: str, data: ShipRequest, key: str
) -> tuple[Shipment, DeliveryOrder]:
    """Issue the goods from inventory and dispatch them; nothing changes if inventory refuses."""
    order = await get_delivery_order(session, order_id, for_update=True)
    _require(order, ("open", "picked"), "shipped")
    if data.carrier is not None and await session.get(Carrier, data.carrier) is None:
        raise InvalidInput(f"No carrier '{data.carrier}'.", carrier=data.carrier)
    reserved_here = order.reservation_id is None
    reservation_id = order.reservation_id or await stock.reserve(
        app,
        order.id,
        [(li.sku, li.quantity) for li in order.lines],
        order.warehouse,
        f"{key}:reserve",
    )
    try:
        await stock.issue(app, reservation_id, f"{key}:issue")
    except Exception:
        if reserved_here:
            await stock.release(app, reservation_id, f"{key}:release")
        raise
    now = utcnow()
    shipment = Shipment(
        id=new_id(),
        delivery_order_id=order.id,
        carrier=data.carrier,
        tracking_number=data.tracking_number,
        status="dispatched",
        dispatched_at=now,
        updated_at=now,
    )
    session.add(shipment)
    order.reservation_id = reservation_id
    _touch(order, "shipped")
    await session.flush()
    event = ShipmentDispatched(
        shipment_id=shipment.id,
        delivery_order_id=order.id,
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        lines=[ShippedLine(sku=li.sku, quantity=li.quantity) for li in order.lines],
        dispatched_at=now,
    )
    await outbox.record(session, event, shipment.id)
    return shipment, order


async def cancel(session: AsyncSession, app: FastAPI, order_id: str, key: str) -> DeliveryOrder:
    """Cancel a delivery order not shipped yet, releasing what was picked."""
    order = await get_delivery_order(session, order_id, for_update=True)
    _require(order, ("open", "picked"), "cancelled")
    if order.reservation_id:
        await stock.release(app, order.reservation_id, f"{key}:release")
    _touch(order, "cancelled")
    await session.flush()
    return order


async def get_shipment(
    session: AsyncSession, shipment_id: str, *, for_update: bool = False
) -> Shipment:
    """A shipment by id, or NotFound."""
    return await get_one(
        session,
        Shipment,
        shipment_id,
        f"No shipment '{shipment_id}'.",
        shipment_id=shipment_id,
        for_update=for_update,
    )


async def list_shipments(
    session: AsyncSession,
    page: PageParams,
    status: str | None = None,
    delivery_order: str | None = None,
) -> tuple[list[Shipment], int]:
    """Shipments matching the filters, newest first, one page."""
    query = select(Shipment)
    if status:
        query = query.where(Shipment.status == status)
    if delivery_order:
        query = query.where(Shipment.delivery_order_id == delivery_order)
    return await fetch_page(session, query, page, Shipment.dispatched_at.desc(), Shipment.id)


async def update_status(
    session: AsyncSession, shipment_id: str, data: ShipmentStatusUpdate
) -> Shipment:
    """Record what the carrier reports; each change is announced."""
    shipment = await get_shipment(session, shipment_id, for_update=True)
    if not can_move(shipment.status, data.status):
        raise IllegalTransition(
            f"A {shipment.status} shipment cannot become {data.status}.",
            status=shipment.status,
            requested=data.status,
        )
    now = utcnow()
    shipment.status = data.status
    shipment.note = data.note
    shipment.updated_at = now
    order = await get_delivery_order(session, shipment.delivery_order_id, for_update=True)
    if data.status == "delivered":
        shipment.delivered_at = now
        shipment.on_time = on_time(now, order.due_date)
        _touch(order, "delivered")
        await session.flush()
        delivered = ShipmentDelivered(
            shipment_id=shipment.id,
            delivery_order_id=order.id,
            delivered_at=now,
            on_time=shipment.on_time,
        )
        await outbox.record(session, delivered, shipment.id)
        return shipment
    await session.flush()
    kind = ShipmentInTransit if data.status == "in_transit" else ShipmentException
    event = kind(shipment_id=shipment.id, delivery_order_id=order.id, at=now, note=data.note)
    await outbox.record(session, event, shipment.id)
    return shipment
