"""Use cases of reservations: reserve all or nothing, release, issue."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.database import outbox
from services.inventory.domain.stock import ZERO, LevelAvailability, LevelKey, draw, total_available
from services.inventory.events import (
    ReservationConfirmed,
    ReservationConsumed,
    ReservationRejected,
    ReservationReleased,
    ReservedLine,
    ShortLine,
)
from services.inventory.items.models import Item
from services.inventory.movements.models import Movement
from services.inventory.movements.service import Booking, book, unknown_item
from services.inventory.reservations.models import (
    Reservation,
    ReservationAllocation,
    ReservationLine,
)
from services.inventory.reservations.schemas import ReservationCreate, Shortage
from services.inventory.serials.service import check_count, reserved_serials
from services.inventory.stock.service import announce, change_level, free, levels_of, lock_skus
from services.inventory.warehouses.service import require_place
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import IllegalTransition, InvalidInput
from shared.queries import DatedListParams, fetch_page, get_one


@dataclass(frozen=True)
class Rejection:
    """A reservation that could not be made, and why."""

    reference: str
    shortages: list[Shortage]


async def reserve(session: AsyncSession, data: ReservationCreate) -> Reservation | Rejection:
    """Set aside every line's stock, or none and announce the shortages.

    Unknown skus or warehouses are InvalidInput. A rejection is announced in the caller's
    transaction, so the caller must commit it.
    """
    # Loaded at once and kept, so announcing the stock finds them without asking again.
    items = {
        item.sku: item
        for item in (
            await session.execute(select(Item).where(Item.sku.in_({li.sku for li in data.lines})))
        ).scalars()
    }
    for line in data.lines:
        if line.sku not in items:
            raise await unknown_item(session, line.sku)
        if line.warehouse is not None:
            await require_place(session, line.warehouse, None)
    totals = await lock_skus(session, (line.sku for line in data.lines))
    taken: dict[LevelKey, Decimal] = defaultdict(lambda: ZERO)
    allocations: list[ReservationAllocation] = []
    shortages: list[Shortage] = []
    for line_no, line in enumerate(data.lines, 1):
        levels = [
            LevelAvailability(lv.key, lv.available - taken[lv.key])
            for lv in free(await levels_of(session, line.sku, line.warehouse))
        ]
        draws = draw(levels, line.quantity)
        if draws is None:
            shortages.append(
                Shortage(sku=line.sku, requested=line.quantity, available=total_available(levels))
            )
            continue
        for d in draws:
            taken[d.key] += d.quantity
            allocations.append(
                ReservationAllocation(
                    line_no=line_no,
                    sku=d.key.sku,
                    warehouse=d.key.warehouse,
                    location=d.key.location,
                    lot=d.key.lot,
                    quantity=d.quantity,
                )
            )
    if shortages:
        await outbox.record(
            session,
            ReservationRejected(
                reference=data.reference,
                shortages=[ShortLine.model_validate(s.model_dump()) for s in shortages],
            ),
            data.reference,
        )
        return Rejection(data.reference, shortages)
    now = utcnow()
    reservation = Reservation(
        id=new_id(),
        reference=data.reference,
        status="confirmed",
        created_at=now,
        updated_at=now,
        lines=[
            ReservationLine(line_no=n, sku=li.sku, quantity=li.quantity, warehouse=li.warehouse)
            for n, li in enumerate(data.lines, 1)
        ],
        allocations=allocations,
    )
    session.add(reservation)
    for allocation in allocations:
        key = LevelKey(allocation.sku, allocation.warehouse, allocation.location, allocation.lot)
        await change_level(session, totals[key.sku], key, reserved=allocation.quantity)
    await session.flush()
    for sku in sorted(totals):
        await announce(session, totals[sku])
    await outbox.record(
        session,
        ReservationConfirmed(
            reservation_id=reservation.id,
            reference=reservation.reference,
            lines=[
                ReservedLine(
                    sku=li.sku, quantity=li.quantity, warehouse=_warehouse_of(reservation, li)
                )
                for li in reservation.lines
            ],
        ),
        reservation.id,
    )
    return reservation


def _warehouse_of(reservation: Reservation, line: ReservationLine) -> str | None:
    if line.warehouse is not None:
        return line.warehouse
    places = {a.warehouse for a in reservation.allocations if a.line_no == line.line_no}
    return places.pop() if len(places) == 1 else None


async def get_reservation(
    session: AsyncSession, reservation_id: str, *, for_update: bool = False
) -> Reservation:
    """A reservation by id, or NotFound."""
    return await get_one(
        session,
        Reservation,
        reservation_id,
        f"No reservation '{reservation_id}'.",
        reservation_id=reservation_id,
        for_update=for_update,
    )


LIST_RESERVATIONS_DEFAULT = DatedListParams("created_at")


async def list_reservations(
    session: AsyncSession,
    page: PageParams,
    reference: str | None = None,
    status: str | None = None,
    dated: DatedListParams = LIST_RESERVATIONS_DEFAULT,
) -> tuple[list[Reservation], int]:
    """Reservations, oldest first (or as sorted), filtered by reference, status or date, one page."""
    query = dated.within(select(Reservation), Reservation.created_at)
    if reference:
        query = query.where(Reservation.reference == reference)
    if status:
        query = query.where(Reservation.status == status)
    order = dated.order_by({"created_at": Reservation.created_at})
    return await fetch_page(session, query, page, *order, Reservation.id)


async def active_reservation(session: AsyncSession, reference: str) -> Reservation | None:
    """The confirmed reservation of a reference, if there is one."""
    rows = await session.execute(
        select(Reservation)
        .where(Reservation.reference == reference, Reservation.status == "confirmed")
        .order_by(Reservation.created_at)
        .with_for_update()
    )
    return rows.scalars().first()


def _require_confirmed(reservation: Reservation, action: str) -> None:
    if reservation.status != "confirmed":
        raise IllegalTransition(
            f"A {reservation.status} reservation cannot be {action}.",
            current_status=reservation.status,
            reservation_id=reservation.id,
        )


async def release(session: AsyncSession, reservation_id: str) -> Reservation:
    """Give a reservation's stock back; releasing a released one changes nothing."""
    reservation = await get_reservation(session, reservation_id, for_update=True)
    if reservation.status == "released":
        return reservation
    _require_confirmed(reservation, "released")
    await release_stock(session, reservation)
    return reservation


async def release_stock(session: AsyncSession, reservation: Reservation) -> None:
    """Release a confirmed reservation the caller has locked."""
    totals = await lock_skus(session, (a.sku for a in reservation.allocations))
    for a in reservation.allocations:
        key = LevelKey(a.sku, a.warehouse, a.location, a.lot)
        await change_level(session, totals[a.sku], key, reserved=-a.quantity)
    reservation.status = "released"
    reservation.updated_at = utcnow()
    await session.flush()
    for sku in sorted(totals):
        await announce(session, totals[sku])
    await outbox.record(
        session,
        ReservationReleased(reservation_id=reservation.id, reference=reservation.reference),
        reservation.id,
    )


async def issue(
    session: AsyncSession,
    reservation_id: str,
    recorded_by: str,
    serials: Mapping[str, Sequence[str]] | None = None,
) -> tuple[Reservation, list[Movement]]:
    """Issue a reservation's stock (one issue movement per sku and warehouse) and mark it
    consumed; serial-tracked skus take the serials named, else the oldest where they are."""
    reservation = await get_reservation(session, reservation_id, for_update=True)
    _require_confirmed(reservation, "issued")
    named: dict[tuple[str, str], list[str]] = {}
    if serials:
        await lock_skus(session, (a.sku for a in reservation.allocations))
        named = await _named_serials(session, reservation, serials)
    return reservation, await issue_stock(session, reservation, recorded_by, named)


async def _named_serials(
    session: AsyncSession, reservation: Reservation, serials: Mapping[str, Sequence[str]]
) -> dict[tuple[str, str], list[str]]:
    """The serials named for each sku and warehouse, checked against what the reservation holds."""
    named: dict[tuple[str, str], list[str]] = {}
    for sku, names in serials.items():
        allocations = [a for a in reservation.allocations if a.sku == sku]
        item = await session.get(Item, sku)
        if not allocations or item is None or not item.serial_tracked:
            raise InvalidInput(
                f"The reservation holds no serial-tracked '{sku}' to name serials for.", sku=sku
            )
        check_count(sku, sum((a.quantity for a in allocations), ZERO), names)
        reserved: Counter[LevelKey] = Counter()
        for a in allocations:
            reserved[LevelKey(a.sku, a.warehouse, a.location, a.lot)] += int(a.quantity)
        for warehouse, taken in (await reserved_serials(session, sku, names, reserved)).items():
            named[(sku, warehouse)] = taken
    return named


async def issue_stock(
    session: AsyncSession,
    reservation: Reservation,
    recorded_by: str,
    serials: Mapping[tuple[str, str], list[str]] | None = None,
) -> list[Movement]:
    """Issue a confirmed reservation the caller has locked; returns the movements."""
    totals = await lock_skus(session, (a.sku for a in reservation.allocations))
    groups: dict[tuple[str, str], list[ReservationAllocation]] = defaultdict(list)
    for a in reservation.allocations:
        groups[(a.sku, a.warehouse)].append(a)
    movements = []
    for (sku, warehouse), allocations in sorted(groups.items()):
        item = await session.get(Item, sku)
        assert item is not None  # reservations only name known items
        lots = {a.lot for a in allocations}
        places = {a.location for a in allocations}
        booking = Booking(
            kind="issue",
            sku=sku,
            quantity=sum((a.quantity for a in allocations), ZERO),
            warehouse=warehouse,
            location=places.pop() or None if len(places) == 1 else None,
            lot=lots.pop() or None if len(lots) == 1 else None,
            reference=reservation.reference,
            reason="reservation issued",
            lines=[
                (LevelKey(a.sku, a.warehouse, a.location, a.lot), -a.quantity) for a in allocations
            ],
            from_reserved=True,
            serials=(serials or {}).get((sku, warehouse)),
        )
        movements.append(await book(session, item, totals[sku], booking, recorded_by))
    reservation.status = "consumed"
    reservation.updated_at = utcnow()
    await session.flush()
    await outbox.record(
        session,
        ReservationConsumed(reservation_id=reservation.id, reference=reservation.reference),
        reservation.id,
    )
    return movements
