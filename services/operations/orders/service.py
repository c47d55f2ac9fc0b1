"""Keeping the order view current from events, and finding an order by id or number."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.orders.models import KnownOrder
from services.operations.orders.schemas import OrderSeen
from shared.db import utcnow

NUMBER_PREFIX = "MO-"


async def _known(session: AsyncSession, order_id: str) -> KnownOrder:
    # Production's and inventory's events travel on different topics, so any of them may come
    # first: whichever does creates the row.
    order = await session.get(KnownOrder, order_id, with_for_update=True)
    if order is None:
        order = KnownOrder(
            order_id=order_id,
            product_sku="",
            status="planned",
            materials_status="none",
            reservation_attempt=0,
            updated_at=utcnow(),
        )
        session.add(order)
    return order


async def order_seen(session: AsyncSession, seen: OrderSeen, status: str) -> KnownOrder:
    """An order was created or released: keep what it says."""
    order = await _known(session, seen.order_id)
    order.number = seen.number or order.number
    order.product_sku = seen.product_sku or order.product_sku
    order.quantity = seen.quantity if seen.quantity is not None else order.quantity
    order.due_date = seen.due_date or order.due_date
    order.priority = seen.priority if seen.priority is not None else order.priority
    if status == "released":
        if order.status == "planned":
            order.status = "released"
        attempt = seen.reservation_attempt or 1
        # A reservation confirmed before its release event arrived stays reserved; a newer
        # attempt after a rejection is pending again.
        if attempt > order.reservation_attempt:
            order.reservation_attempt = attempt
            if order.materials_status != "reserved":
                order.materials_status = "pending"
    order.updated_at = utcnow()
    await session.flush()
    return order


async def order_ended(session: AsyncSession, order_id: str, status: str) -> None:
    """An order was completed or cancelled."""
    order = await _known(session, order_id)
    order.status = status
    order.updated_at = utcnow()
    await session.flush()


async def materials_changed(session: AsyncSession, reference: str, materials_status: str) -> None:
    """Inventory reserved, could not reserve, or released an order's components.

    Only a reservation released or used up undoes a confirmed one; a late rejection does not.
    """
    order = await _known(session, reference)
    if materials_status == "short" and order.materials_status == "reserved":
        return
    order.materials_status = materials_status
    order.updated_at = utcnow()
    await session.flush()


async def find_order(session: AsyncSession, reference: str) -> KnownOrder | None:
    """The order with this id, or with this number (`MO-...`, any case)."""
    order = await session.get(KnownOrder, reference)
    if order is not None or not reference.upper().startswith(NUMBER_PREFIX):
        return order
    rows = await session.execute(
        select(KnownOrder).where(func.upper(KnownOrder.number) == reference.upper()).limit(1)
    )
    return rows.scalar_one_or_none()


async def order_id_of(session: AsyncSession, reference: str) -> str:
    """The id of the order a path names by id or number; an unknown reference is kept as is."""
    order = await find_order(session, reference)
    return order.order_id if order is not None else reference


async def orders_by_id(session: AsyncSession, order_ids: set[str]) -> dict[str, KnownOrder]:
    """The known orders among these ids."""
    if not order_ids:
        return {}
    rows = await session.execute(select(KnownOrder).where(KnownOrder.order_id.in_(order_ids)))
    return {order.order_id: order for order in rows.scalars()}
