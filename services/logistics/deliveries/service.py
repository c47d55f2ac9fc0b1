"""Use cases of delivery orders and shipments."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, suppress
from dataclasses import dataclass
from decimal import Decimal

from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.logistics.database import outbox
from services.logistics.deliveries import stock
from services.logistics.deliveries.models import (
    DeliveryOrder,
    DeliveryOrderLine,
    Shipment,
    ShipmentLine,
)
from services.logistics.deliveries.schemas import (
    DeliveryOrderCreate,
    ShipmentStatusUpdate,
    ShipRequest,
)
from services.logistics.domain.shipping import PartRefused, can_move, on_time, part_to_ship
from services.logistics.events import (
    ClosedLine,
    DeliveryOrderCancelled,
    DeliveryOrderCreated,
    ShipmentDelivered,
    ShipmentDispatched,
    ShipmentException,
    ShipmentInTransit,
    ShippedLine,
)
from services.logistics.purchasing.models import Carrier
from shared.db import new_id, utcnow
from shared.dependencies import PageParams, Transactions
from shared.errors import Conflict, IllegalTransition, InvalidInput, Problem
from shared.queries import DatedListParams, fetch_page, get_one


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
        number=order.number,
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


LIST_DELIVERY_ORDERS_DEFAULT = DatedListParams("due_date")


async def list_delivery_orders(
    session: AsyncSession,
    page: PageParams,
    status: str | None = None,
    customer: str | None = None,
    dated: DatedListParams = LIST_DELIVERY_ORDERS_DEFAULT,
) -> tuple[list[DeliveryOrder], int]:
    """Delivery orders matching the filters, by due date (or as sorted), one page."""
    query = dated.within(select(DeliveryOrder), DeliveryOrder.created_at)
    if status:
        query = query.where(DeliveryOrder.status == status)
    if customer:
        query = query.where(DeliveryOrder.customer == customer)
    order = dated.order_by(
        {"due_date": DeliveryOrder.due_date, "created_at": DeliveryOrder.created_at}
    )
    return await fetch_page(session, query, page, *order, DeliveryOrder.id)


@dataclass(frozen=True)
class Step:
    """What a use case does to a delivery order: the statuses it starts from, and its name."""

    allowed: tuple[str, ...]
    action: str


PICK = Step(("open",), "picked")
SHIP = Step(("open", "picked", "partially_shipped"), "shipped")
CANCEL = Step(("open", "picked", "partially_shipped"), "cancelled")


def _require(order: DeliveryOrder, step: Step) -> None:
    if order.status not in step.allowed:
        raise IllegalTransition(
            f"A {order.status} delivery order cannot be {step.action}.",
            current_status=order.status,
            allowed=list(step.allowed),
        )


def _touch(order: DeliveryOrder, status: str) -> None:
    order.status = status
    order.version += 1
    order.updated_at = utcnow()


def _lines(order: DeliveryOrder) -> list[tuple[str, Decimal]]:
    return [(li.sku, li.quantity) for li in order.lines]


def _open(order: DeliveryOrder) -> dict[str, Decimal]:
    return {li.sku: li.open_quantity for li in order.lines}


def _after_shipping(order: DeliveryOrder) -> str:
    return "shipped" if all(li.open_quantity == 0 for li in order.lines) else "partially_shipped"


def _part(order: DeliveryOrder, data: ShipRequest) -> list[tuple[str, Decimal]]:
    requested = None if data.lines is None else [(li.sku, li.quantity) for li in data.lines]
    try:
        return part_to_ship(_open(order), requested)
    except PartRefused as refused:
        raise Conflict(str(refused), delivery_order_id=order.id, **refused.details) from refused


# Inventory is called with no transaction open: a transaction held across its round trip would
# hold logistics' write lock (on SQLite, every other writer of logistics) until it answers. A use
# case reads the order, calls inventory, then locks the order again and writes only if no other
# request moved it meanwhile. Goods are reserved and the order picked before they are issued, so
# of two requests shipping one order only one issues its goods: inventory issues a reservation once.


async def _read(tx: Transactions, order_id: str, step: Step) -> DeliveryOrder:
    async with tx.read() as session:
        order = await get_delivery_order(session, order_id)
        _require(order, step)
        return order


async def _locked_as_read(session: AsyncSession, read: DeliveryOrder, step: Step) -> DeliveryOrder:
    """The delivery order locked for writing; 409 if another request moved it since `read`."""
    order = await get_delivery_order(session, read.id, for_update=True)
    if order.version != read.version:
        _require(order, step)
        raise Conflict(
            f"The delivery order changed while it was being {step.action}; read it and retry.",
            delivery_order_id=order.id,
        )
    return order


async def _reserve(
    app: FastAPI,
    read: DeliveryOrder,
    key: str,
    step: Step,
    transaction: Callable[[], AbstractAsyncContextManager[AsyncSession]],
) -> DeliveryOrder:
    """Reserve the order's goods and record the reservation on it, picked; what was reserved is
    given back if another request moved the order meanwhile."""
    reservation_id = await stock.reserve(
        app, read.id, _lines(read), read.warehouse, f"{key}:reserve"
    )
    try:
        async with transaction() as session:
            order = await _locked_as_read(session, read, step)
            order.reservation_id = reservation_id
            _touch(order, "picked")
            await session.flush()
            return order
    except Problem:
        await _give_back(app, reservation_id, f"{key}:release")
        raise


async def _give_back(app: FastAPI, reservation_id: str, key: str) -> None:
    # Refused only when another request issued the goods meanwhile: they are its to ship.
    with suppress(Conflict):
        await stock.release(app, reservation_id, key)


async def pick(tx: Transactions, app: FastAPI, order_id: str, key: str) -> DeliveryOrder:
    """Reserve the goods in inventory; 409 with the shortages if they are not all available."""
    order = await _read(tx, order_id, PICK)
    return await _reserve(app, order, key, PICK, tx.effect)


async def ship(
    tx: Transactions, app: FastAPI, order_id: str, data: ShipRequest, key: str
) -> tuple[Shipment, DeliveryOrder]:
    """Issue the goods from inventory and dispatch them; nothing changes if inventory refuses."""
    async with tx.read() as session:
        read = await get_delivery_order(session, order_id)
        _require(read, SHIP)
        if data.carrier is not None and await session.get(Carrier, data.carrier) is None:
            raise InvalidInput(f"No carrier '{data.carrier}'.", carrier=data.carrier)
        claimed = await session.scalar(select(Shipment).where(Shipment.claim_key == key))
    if claimed is not None or data.lines is not None or read.status == "partially_shipped":
        return await _ship_part(tx, app, read, data, key)
    picked_here = read.reservation_id is None
    if picked_here:
        read = await _reserve(app, read, key, SHIP, tx.write)
    assert read.reservation_id is not None
    try:
        await stock.issue(app, read.reservation_id, f"{key}:issue")
    except Conflict:
        if picked_here:
            await _unpick(tx, app, read, key)
        raise
    # Inventory unreachable leaves a pick made here in place: whether the goods were issued is
    # unknown, and a retry with the same key finds the order picked and completes the issue.
    async with tx.effect() as session:
        order = await _locked_as_read(session, read, SHIP)
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
        shipment.lines = [
            ShipmentLine(line_no=li.line_no, sku=li.sku, quantity=li.quantity) for li in order.lines
        ]
        for li in order.lines:
            li.shipped_quantity = li.quantity
        session.add(shipment)
        _touch(order, "shipped")
        await session.flush()
        await _announce_dispatch(session, shipment, order.id)
        return shipment, order


async def _announce_dispatch(session: AsyncSession, shipment: Shipment, order_id: str) -> None:
    event = ShipmentDispatched(
        shipment_id=shipment.id,
        delivery_order_id=order_id,
        carrier=shipment.carrier,
        tracking_number=shipment.tracking_number,
        lines=[ShippedLine(sku=li.sku, quantity=li.quantity) for li in shipment.lines],
        dispatched_at=shipment.dispatched_at,
    )
    await outbox.record(session, event, shipment.id)


# A part ships in three steps: a claim (the shipment, `dispatching`, with its quantities counted
# as shipped, so a racing request cannot claim the same goods), inventory's reserve and issue of
# exactly that part, then the dispatch. Inventory refusing undoes the claim; inventory unreachable
# leaves it, and a retry with the same Idempotency-Key completes it.


async def _ship_part(
    tx: Transactions, app: FastAPI, read: DeliveryOrder, data: ShipRequest, key: str
) -> tuple[Shipment, DeliveryOrder]:
    if read.reservation_id is not None:
        # Picked in full: give the pick back; the part is reserved on its own below.
        await stock.release(app, read.reservation_id, f"{key}:unpick")
    shipment_id = await _claim(tx, read, data, key)
    async with tx.read() as session:
        claimed = await get_shipment(session, shipment_id)
        part = [(li.sku, li.quantity) for li in claimed.lines]
    if claimed.status == "dispatching":
        try:
            reservation_id = await stock.reserve(
                app, read.id, part, read.warehouse, f"{key}:reserve-part"
            )
            await stock.issue(app, reservation_id, f"{key}:issue-part")
        except Conflict:
            await _unclaim(tx, shipment_id)
            raise
    async with tx.effect() as session:
        shipment = await get_shipment(session, shipment_id, for_update=True)
        order = await get_delivery_order(session, shipment.delivery_order_id, for_update=True)
        if shipment.status == "dispatching":
            now = utcnow()
            shipment.status = "dispatched"
            shipment.dispatched_at = now
            shipment.updated_at = now
            order.updated_at = now
            await session.flush()
            await _announce_dispatch(session, shipment, order.id)
        return shipment, order


async def _claim(tx: Transactions, read: DeliveryOrder, data: ShipRequest, key: str) -> str:
    """The shipment claiming the part (made now, or found from an earlier try of the request)."""
    async with tx.write() as session:
        existing = await session.scalar(select(Shipment).where(Shipment.claim_key == key))
        if existing is not None:
            return existing.id
        order = await get_delivery_order(session, read.id, for_update=True)
        _require(order, SHIP)
        part = _part(order, data)
        now = utcnow()
        shipment = Shipment(
            id=new_id(),
            delivery_order_id=order.id,
            claim_key=key,
            carrier=data.carrier,
            tracking_number=data.tracking_number,
            status="dispatching",
            dispatched_at=now,
            updated_at=now,
            lines=[
                ShipmentLine(line_no=n, sku=sku, quantity=quantity)
                for n, (sku, quantity) in enumerate(part, 1)
            ],
        )
        by_sku = dict(part)
        for li in order.lines:
            li.shipped_quantity += by_sku.get(li.sku, Decimal(0))
        order.reservation_id = None
        session.add(shipment)
        _touch(order, _after_shipping(order))
        await session.flush()
        return shipment.id


async def _unclaim(tx: Transactions, shipment_id: str) -> None:
    """Inventory refused the part: the claim goes, its quantities open again."""
    async with tx.write() as session:
        shipment = await get_shipment(session, shipment_id, for_update=True)
        if shipment.status != "dispatching":
            return
        order = await get_delivery_order(session, shipment.delivery_order_id, for_update=True)
        by_sku = {li.sku: li.quantity for li in shipment.lines}
        for li in order.lines:
            li.shipped_quantity -= by_sku.get(li.sku, Decimal(0))
        shipped_any = any(li.shipped_quantity > 0 for li in order.lines)
        _touch(order, "partially_shipped" if shipped_any else "open")
        await session.delete(shipment)


async def _unpick(tx: Transactions, app: FastAPI, picked: DeliveryOrder, key: str) -> None:
    """Undo the pick of a ship inventory refused: its goods given back, the order open again.

    Inventory refuses to give them back if another request shipping the order issued them
    meanwhile; the order is then left picked, for that request to ship."""
    assert picked.reservation_id is not None
    try:
        if not await stock.release(app, picked.reservation_id, f"{key}:release"):
            return
    except Conflict:
        return
    async with tx.write() as session:
        order = await get_delivery_order(session, picked.id, for_update=True)
        if order.version == picked.version:
            order.reservation_id = None
            _touch(order, "open")


async def cancel(
    tx: Transactions, app: FastAPI, order_id: str, key: str, reason: str | None = None
) -> DeliveryOrder:
    """Cancel a delivery order not shipped yet, or the rest of one shipped in part (it is then
    `closed`), releasing what was picked; 409 if the goods were issued meanwhile."""
    read = await _read(tx, order_id, CANCEL)
    if read.reservation_id:
        await stock.release(app, read.reservation_id, f"{key}:release")
    async with tx.effect() as session:
        order = await _locked_as_read(session, read, CANCEL)
        shipped_any = any(li.shipped_quantity > 0 for li in order.lines)
        order.cancel_reason = reason
        order.reservation_id = None
        _touch(order, "closed" if shipped_any else "cancelled")
        await session.flush()
        event = DeliveryOrderCancelled(
            delivery_order_id=order.id,
            number=order.number,
            reason=reason,
            lines=[
                ClosedLine(sku=li.sku, ordered=li.quantity, shipped=li.shipped_quantity)
                for li in order.lines
            ],
        )
        await outbox.record(session, event, order.id)
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


LIST_SHIPMENTS_DEFAULT = DatedListParams("-dispatched_at")


async def list_shipments(
    session: AsyncSession,
    page: PageParams,
    status: str | None = None,
    delivery_order: str | None = None,
    dated: DatedListParams = LIST_SHIPMENTS_DEFAULT,
) -> tuple[list[Shipment], int]:
    """Shipments matching the filters, newest first (or as sorted), one page."""
    query = dated.within(select(Shipment), Shipment.dispatched_at)
    if status:
        query = query.where(Shipment.status == status)
    if delivery_order:
        query = query.where(Shipment.delivery_order_id == delivery_order)
    order = dated.order_by({"dispatched_at": Shipment.dispatched_at})
    return await fetch_page(session, query, page, *order, Shipment.id)


async def update_status(
    session: AsyncSession, shipment_id: str, data: ShipmentStatusUpdate
) -> Shipment:
    """Record what the carrier reports; each change is announced."""
    shipment = await get_shipment(session, shipment_id, for_update=True)
    if not can_move(shipment.status, data.status):
        raise IllegalTransition(
            f"A {shipment.status} shipment cannot become {data.status}.",
            current_status=shipment.status,
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
        await session.flush()
        undelivered = await session.scalar(
            select(func.count())
            .select_from(Shipment)
            .where(Shipment.delivery_order_id == order.id, Shipment.status != "delivered")
        )
        if order.status == "shipped" and not undelivered:
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
