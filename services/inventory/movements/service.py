"""Recording movements: each one books its lines on the levels, values itself and is announced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.database import outbox
from services.inventory.domain.stock import (
    LIMIT,
    ZERO,
    Draw,
    LevelKey,
    as_text,
    draw,
    moving_average,
    total_available,
    within_limit,
)
from services.inventory.events import MovementRecorded
from services.inventory.holds.models import Hold, HoldAllocation
from services.inventory.items.models import Item
from services.inventory.movements.models import Movement, MovementLine
from services.inventory.movements.schemas import MovementCreate
from services.inventory.serials.service import check_count, check_new, move_serials, serial_levels
from services.inventory.stock.models import SkuStock
from services.inventory.stock.service import announce, change_level, free, levels_of, lock_skus
from services.inventory.warehouses.service import places_exist, require_place
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import InsufficientStock, InvalidInput, NotFound, Problem
from shared.numbers import quantize
from shared.queries import DatedListParams, fetch_page, unknown_code_problem


@dataclass
class Booking:
    """A movement ready to be written: what it is and the on-hand change at each level."""

    kind: str
    sku: str
    quantity: Decimal
    warehouse: str
    lines: list[tuple[LevelKey, Decimal]]
    to_warehouse: str | None = None
    location: str | None = None
    to_location: str | None = None
    lot: str | None = None
    expires_on: date | None = None
    unit_cost: Decimal | None = None
    reference: str | None = None
    reason: str | None = None
    # Outbound lines also take what was reserved or held there (issuing a reservation, scrapping a hold).
    from_reserved: bool = False
    from_held: bool = False
    # Serial-tracked items: the serials moved; none on an outbound booking takes the oldest.
    serials: list[str] | None = None


LEDGER_ORDER = DatedListParams("recorded_at")


def is_inbound(kind: str, quantity: Decimal) -> bool:
    """Receipts and positive adjustments add stock and take part in the moving average."""
    return kind == "receipt" or (kind == "adjustment" and quantity > ZERO)


async def item_for_movement(session: AsyncSession, sku: str) -> Item:
    """The item a movement names; InvalidInput if the sku is unknown."""
    item = await session.get(Item, sku)
    if item is None:
        raise await unknown_item(session, sku)
    return item


async def unknown_item(session: AsyncSession, sku: str) -> Problem:
    """The problem of a movement naming an sku the item master does not have."""
    return await unknown_code_problem(session, Item.sku, sku, "sku", InvalidInput, sku=sku)


async def draw_stock(
    session: AsyncSession,
    sku: str,
    quantity: Decimal,
    warehouse: str | None,
    location: str | None = None,
    lot: str | None = None,
) -> list[Draw]:
    """Where to take a quantity from, oldest first; InsufficientStock if not enough is available."""
    levels = free(await levels_of(session, sku, warehouse, location, lot))
    draws = draw(levels, quantity)
    if draws is None:
        raise InsufficientStock(
            f"Only {total_available(levels)} of '{sku}' available; {quantity} requested.",
            sku=sku,
            requested=as_text(quantity),
            available=as_text(total_available(levels)),
            warehouse=warehouse,
        )
    return draws


async def book(
    session: AsyncSession, item: Item, totals: SkuStock, booking: Booking, recorded_by: str
) -> Movement:
    """Write a movement and its lines, change the levels and the valuation, announce both.

    The caller holds the sku's lock (stock.service.lock_skus).
    """
    now = utcnow()
    inbound = is_inbound(booking.kind, booking.quantity)
    if inbound and booking.unit_cost is not None:
        unit_cost = booking.unit_cost
    elif booking.kind == "receipt" or (inbound and totals.on_hand <= ZERO):
        unit_cost = item.standard_cost
    else:
        unit_cost = totals.average_cost
    value = quantize(booking.quantity * unit_cost)
    if not within_limit(value, totals.on_hand + booking.quantity):
        raise InvalidInput(
            f"The movement's value or the stock it leaves is beyond {LIMIT}.", sku=booking.sku
        )
    if inbound:
        totals.average_cost = moving_average(
            totals.on_hand, totals.average_cost, booking.quantity, unit_cost
        )
    for key, delta in booking.lines:
        taken = -delta if delta < ZERO else ZERO
        await change_level(
            session,
            totals,
            key,
            on_hand=delta,
            reserved=-taken if booking.from_reserved else ZERO,
            on_hold=-taken if booking.from_held else ZERO,
            at=now,
            expires_on=booking.expires_on if delta > ZERO else None,
        )
        if delta > ZERO and key.lot:
            await hold_arrival(session, totals, key, delta)
    movement = Movement(
        id=new_id(),
        kind=booking.kind,
        sku=booking.sku,
        quantity=booking.quantity,
        warehouse=booking.warehouse,
        to_warehouse=booking.to_warehouse,
        location=booking.location,
        to_location=booking.to_location,
        lot=booking.lot,
        expires_on=booking.expires_on,
        unit_cost=quantize(unit_cost),
        value=value,
        reference=booking.reference,
        reason=booking.reason,
        recorded_by=recorded_by,
        recorded_at=now,
        lines=[
            MovementLine(
                sku=key.sku,
                warehouse=key.warehouse,
                location=key.location,
                lot=key.lot,
                quantity=delta,
            )
            for key, delta in booking.lines
        ],
    )
    session.add(movement)
    await session.flush()
    if item.serial_tracked:
        await move_serials(session, movement, booking.lines, booking.serials)
    await outbox.record(
        session,
        MovementRecorded(
            movement_id=movement.id,
            kind=movement.kind,  # type: ignore[arg-type]
            sku=movement.sku,
            quantity=movement.quantity,
            warehouse=movement.warehouse,
            to_warehouse=movement.to_warehouse,
            location=movement.location,
            lot=movement.lot,
            unit_cost=movement.unit_cost,
            value=movement.value,
            reference=movement.reference,
            reason=movement.reason,
            recorded_by=recorded_by,
            recorded_at=now,
        ),
        movement.id,
    )
    await announce(session, totals)
    return movement


async def hold_arrival(
    session: AsyncSession, totals: SkuStock, key: LevelKey, quantity: Decimal
) -> None:
    """Stock arriving into a lot on hold is held as well."""
    rows = await session.execute(
        select(Hold).where(Hold.sku == key.sku, Hold.lot == key.lot, Hold.status == "active")
    )
    hold = rows.scalars().first()
    if hold is None:
        return
    await change_level(session, totals, key, on_hold=quantity)
    hold.quantity += quantity
    hold.updated_at = utcnow()
    for allocation in hold.allocations:
        if (allocation.warehouse, allocation.location) == (key.warehouse, key.location):
            allocation.quantity += quantity
            return
    hold.allocations.append(
        HoldAllocation(
            sku=key.sku,
            warehouse=key.warehouse,
            location=key.location,
            lot=key.lot,
            quantity=quantity,
        )
    )


async def plan_lines(session: AsyncSession, data: MovementCreate) -> list[tuple[LevelKey, Decimal]]:
    """The on-hand change at each level a requested movement makes."""
    if is_inbound(data.kind, data.quantity):
        return [
            (LevelKey(data.sku, data.warehouse, data.location or "", data.lot or ""), data.quantity)
        ]
    draws = await draw_stock(
        session, data.sku, abs(data.quantity), data.warehouse, data.location, data.lot
    )
    lines = [(d.key, -d.quantity) for d in draws]
    if data.kind == "transfer":
        to_warehouse = data.to_warehouse or data.warehouse
        lines += [
            (LevelKey(data.sku, to_warehouse, data.to_location or "", d.key.lot), d.quantity)
            for d in draws
        ]
    return lines


@cache
def _item_and_places(located: tuple[bool, ...]) -> Select[Item, bool]:
    """The item `sku` and whether the places `warehouse<n>` (`location<n>` where located) exist;
    built once per shape and run with parameters."""
    places: list[tuple[Any, Any]] = [
        (bindparam(f"warehouse{n}"), bindparam(f"location{n}") if has_location else None)
        for n, has_location in enumerate(located)
    ]
    return select(Item, places_exist(places)).where(Item.sku == bindparam("sku"))


async def record_movement(
    session: AsyncSession, data: MovementCreate, recorded_by: str
) -> Movement:
    """Record a requested movement: 422 for unknown sku or place, 409 beyond what is available."""
    places = [(data.warehouse, data.location)]
    if data.kind == "transfer":
        places.append((data.to_warehouse or data.warehouse, data.to_location))
    # The item and whether its places exist, in one query; the checks run in their usual order.
    values: dict[str, str | None] = {"sku": data.sku}
    for n, (warehouse, location) in enumerate(places):
        values[f"warehouse{n}"], values[f"location{n}"] = warehouse, location or None
    query = _item_and_places(tuple(bool(location) for _, location in places))
    found = (await session.execute(query, values)).first()
    if found is None:
        raise await unknown_item(session, data.sku)
    item, places_known = found
    if item.lot_tracked and is_inbound(data.kind, data.quantity) and not data.lot:
        raise InvalidInput(f"Item '{data.sku}' is lot-tracked: name the lot.", sku=data.sku)
    if item.serial_tracked:
        check_count(data.sku, data.quantity, data.serials or [])
    elif data.serials is not None:
        raise InvalidInput(f"Item '{data.sku}' is not serial-tracked: no serials.", sku=data.sku)
    if not places_known:
        for warehouse, location in places:
            await require_place(session, warehouse, location)
    totals = (await lock_skus(session, [data.sku]))[data.sku]
    booking = Booking(
        kind=data.kind,
        sku=data.sku,
        quantity=data.quantity,
        warehouse=data.warehouse,
        to_warehouse=data.to_warehouse,
        location=data.location,
        to_location=data.to_location,
        lot=data.lot,
        expires_on=data.expires_on,
        unit_cost=data.unit_cost,
        reference=data.reference,
        reason=data.reason,
        lines=await plan_serial_lines(session, data)
        if item.serial_tracked
        else await plan_lines(session, data),
        serials=data.serials,
    )
    return await book(session, item, totals, booking, recorded_by)


async def plan_serial_lines(
    session: AsyncSession, data: MovementCreate
) -> list[tuple[LevelKey, Decimal]]:
    """The lines of a serial-tracked movement: new serials arrive as usual; outbound ones take
    each serial from the level it is at, if that level has it free (not reserved or held)."""
    serials = data.serials or []
    if is_inbound(data.kind, data.quantity):
        await check_new(session, data.sku, serials)
        return await plan_lines(session, data)
    counts = await serial_levels(
        session, data.sku, serials, data.warehouse, data.location, data.lot
    )
    lines: list[tuple[LevelKey, Decimal]] = []
    for key, count in sorted(counts.items()):
        free_here = total_available(
            lv
            for lv in free(await levels_of(session, key.sku, key.warehouse, key.location, key.lot))
            if lv.key == key
        )
        if free_here < count:
            raise InsufficientStock(
                f"Only {free_here} of '{data.sku}' free where its serials are; {count} named.",
                sku=data.sku,
                requested=str(count),
                available=as_text(free_here),
                warehouse=key.warehouse,
            )
        lines.append((key, -Decimal(count)))
    if data.kind == "transfer":
        to_warehouse = data.to_warehouse or data.warehouse
        lines += [
            (LevelKey(data.sku, to_warehouse, data.to_location or "", key.lot), -delta)
            for key, delta in list(lines)
        ]
    return lines


async def get_movement(session: AsyncSession, movement_id: str) -> Movement:
    """A movement by id, or NotFound."""
    row = await session.execute(select(Movement).where(Movement.id == movement_id))
    movement = row.scalar_one_or_none()
    if movement is None:
        raise NotFound(f"No movement '{movement_id}'.", movement_id=movement_id)
    return movement


async def list_movements(
    session: AsyncSession,
    page: PageParams,
    *,
    sku: str | None = None,
    reference: str | None = None,
    lot: str | None = None,
    kind: str | None = None,
    warehouse: str | None = None,
    dated: DatedListParams = LEDGER_ORDER,
) -> tuple[list[Movement], int]:
    """The ledger in the order it was written (or newest first), filtered, one page."""
    query = dated.within(select(Movement), Movement.recorded_at)
    if sku:
        query = query.where(Movement.sku == sku)
    if reference:
        query = query.where(Movement.reference == reference)
    if lot:
        in_lot = select(MovementLine.id).where(
            MovementLine.movement_seq == Movement.seq, MovementLine.lot == lot
        )
        query = query.where((Movement.lot == lot) | in_lot.exists())
    if kind:
        query = query.where(Movement.kind == kind)
    if warehouse:
        query = query.where(
            (Movement.warehouse == warehouse) | (Movement.to_warehouse == warehouse)
        )
    # The sequence is the order of writing: recorded_at in order, and ties broken for good.
    return await fetch_page(session, query, page, *dated.order_by({"recorded_at": Movement.seq}))
