"""Use cases driven by production orders' events."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.database import outbox
from services.inventory.domain.genealogy import LotKey
from services.inventory.domain.stock import ZERO, LevelKey, total_available
from services.inventory.events import ReservationRejected, ShortLine
from services.inventory.genealogy.service import record_genealogy
from services.inventory.items.models import Item
from services.inventory.manufacturing.waiting import (
    retry_waiting,
    stop_waiting,
    wait_for_components,
)
from services.inventory.movements.models import Movement
from services.inventory.movements.service import Booking, book
from services.inventory.reservations.models import Reservation
from services.inventory.reservations.schemas import ReservationCreate, ReservationLineIn
from services.inventory.reservations.service import (
    Rejection,
    active_reservation,
    issue_stock,
    release_stock,
    reserve,
)
from services.inventory.serials.service import number_units
from services.inventory.stock.service import free, levels_of, lock_skus
from services.inventory.warehouses.models import Warehouse
from services.inventory.warehouses.service import DEFAULT_WAREHOUSE, get_warehouse
from shared.consumer import PoisonMessage
from shared.numbers import quantize

log = logging.getLogger("plantline.inventory.manufacturing")
RECORDED_BY = "production"


@dataclass(frozen=True)
class Component:
    """A component quantity of an order."""

    sku: str
    quantity: Decimal


async def _warehouse_or_any(session: AsyncSession, code: str | None) -> str | None:
    if code is None:
        return None
    return code if await session.get(Warehouse, code) is not None else None


async def reserve_components(
    session: AsyncSession,
    order_id: str,
    warehouse: str | None,
    components: Sequence[Component],
    due_date: date | None = None,
) -> None:
    """Reserve a released order's components, or announce the shortages; once per order.

    A rejected order waits for its components: a receipt of one of them retries it.
    """
    if await active_reservation(session, order_id) is not None:
        await stop_waiting(session, order_id)
        return
    place = await _warehouse_or_any(session, warehouse)
    unknown = [c for c in components if await session.get(Item, c.sku) is None]
    if unknown:
        shortages = [ShortLine(sku=c.sku, requested=c.quantity, available=ZERO) for c in unknown]
        await outbox.record(
            session, ReservationRejected(reference=order_id, shortages=shortages), order_id
        )
        await wait_for_components(session, order_id, due_date, place, components)
        return
    lines = [
        ReservationLineIn(sku=c.sku, quantity=c.quantity, warehouse=place)
        for c in components
        if c.quantity > ZERO
    ]
    answer = await reserve(
        session, ReservationCreate.model_construct(reference=order_id, lines=lines)
    )
    if isinstance(answer, Rejection):
        await wait_for_components(session, order_id, due_date, place, components)
    else:
        await stop_waiting(session, order_id)


async def order_reservation(
    session: AsyncSession, order_id: str, reservation_id: str | None
) -> Reservation | None:
    """The order's confirmed reservation: the one named, else the one made for the order."""
    if reservation_id is not None:
        named = await session.get(Reservation, reservation_id, with_for_update=True)
        if named is not None and named.status == "confirmed":
            return named
    return await active_reservation(session, order_id)


async def release_components(
    session: AsyncSession, order_id: str, reservation_id: str | None = None
) -> None:
    """Give back what a cancelled order had reserved."""
    await stop_waiting(session, order_id)
    reservation = await order_reservation(session, order_id, reservation_id)
    if reservation is not None:
        await release_stock(session, reservation)


async def complete_order(
    session: AsyncSession,
    order_id: str,
    product_sku: str,
    good_quantity: Decimal,
    lot: str | None,
    warehouse: str | None,
    components: Sequence[Component],
    reservation_id: str | None = None,
    conversion_cost: Decimal = ZERO,
) -> None:
    """Issue the order's components (its reservation, else the components as far as they are
    available) and receive the good quantity at the issued value plus the order's conversion
    cost (work-center time and overhead), per unit; once per order."""
    product = await session.get(Item, product_sku)
    if product is None:
        raise PoisonMessage(f"Order {order_id} made an unknown item '{product_sku}'.")
    done = await session.execute(
        select(Movement.id).where(
            Movement.reference == order_id, Movement.kind == "receipt", Movement.sku == product_sku
        )
    )
    if done.first() is not None:
        return
    await stop_waiting(session, order_id)
    reservation = await order_reservation(session, order_id, reservation_id)
    # Every sku this completion touches is locked at once, in order, so completions never deadlock.
    reserved_skus = [a.sku for a in reservation.allocations] if reservation is not None else []
    known = [c.sku for c in components if await session.get(Item, c.sku) is not None]
    await lock_skus(session, [product_sku, *reserved_skus, *known])
    if reservation is not None:
        issued = await issue_stock(session, reservation, RECORDED_BY)
    else:
        issued = await _issue_components(session, order_id, warehouse, components)
    if good_quantity <= ZERO:
        return
    value = sum((m.value for m in issued), ZERO) + conversion_cost
    place = await _warehouse_or_any(session, warehouse) or DEFAULT_WAREHOUSE
    await get_warehouse(session, place)
    receipt_lot = lot or (order_id if product.lot_tracked else "")
    totals = (await lock_skus(session, [product_sku]))[product_sku]
    await book(
        session,
        product,
        totals,
        Booking(
            kind="receipt",
            sku=product_sku,
            quantity=good_quantity,
            warehouse=place,
            lot=receipt_lot or None,
            unit_cost=quantize(value / good_quantity) if value > ZERO else None,
            reference=order_id,
            reason="production order completed",
            lines=[(LevelKey(product_sku, place, "", receipt_lot), good_quantity)],
            serials=await number_units(session, product, receipt_lot or order_id, good_quantity),
        ),
        RECORDED_BY,
    )
    await record_genealogy(
        session, order_id, LotKey(product_sku, receipt_lot), good_quantity, issued
    )
    # A made sub-assembly may be what another order's components wait for.
    await retry_waiting(session, [product_sku])


async def _issue_components(
    session: AsyncSession, order_id: str, warehouse: str | None, components: Sequence[Component]
) -> list[Movement]:
    """Issue components without a reservation: what is available, never more."""
    place = await _warehouse_or_any(session, warehouse)
    known = [c for c in components if await session.get(Item, c.sku) is not None]
    totals = await lock_skus(session, (c.sku for c in known))
    movements = []
    for component in components:
        item = await session.get(Item, component.sku)
        if item is None or component.quantity <= ZERO:
            log.error("order %s: component %s unknown or zero; not issued", order_id, component.sku)
            continue
        levels = free(await levels_of(session, component.sku, place))
        remaining, lines = component.quantity, []
        for level in levels:
            take = min(level.available, remaining)
            if take > ZERO:
                lines.append((level.key, -take))
                remaining -= take
        if remaining > ZERO:
            log.error(
                "order %s: %s of %s short of %s available; issued what there was",
                order_id,
                remaining,
                component.sku,
                total_available(levels),
            )
        if not lines:
            continue
        quantity = component.quantity - remaining
        booking = Booking(
            kind="issue",
            sku=component.sku,
            quantity=quantity,
            warehouse=lines[0][0].warehouse,
            reference=order_id,
            reason="production order completed",
            lines=lines,
        )
        movements.append(await book(session, item, totals[component.sku], booking, RECORDED_BY))
    return movements
