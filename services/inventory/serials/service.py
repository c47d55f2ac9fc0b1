"""Serial rules for movements, the serials a movement moves, and a serial's history."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.domain.stock import ZERO, LevelKey, as_text
from services.inventory.items.models import Item
from services.inventory.movements.models import Movement
from services.inventory.serials.models import Serial, SerialMovement
from shared.db import utcnow
from shared.errors import Conflict, InvalidInput, NotFound

log = logging.getLogger("plantline.inventory.serials")
IN_STOCK = "in_stock"
# What a serial is once a movement of each kind took it out of stock.
GONE = {"issue": "issued", "scrap": "scrapped", "adjustment": "written_off"}


class SerialInUse(Conflict):
    """A serial received again while it exists already."""

    slug, title = "serial-in-use", "Serial in use"


class SerialNotInStock(Conflict):
    """A serial named by an outbound movement is not in stock where it takes from."""

    slug, title = "serial-not-in-stock", "Serial not in stock"


def check_count(sku: str, quantity: Decimal, serials: Sequence[str]) -> None:
    """One serial per unit: a whole quantity and as many serials; InvalidInput otherwise."""
    units = abs(quantity)
    if units != units.to_integral_value():
        raise InvalidInput(
            f"Item '{sku}' is serial-tracked: the quantity must be a whole number.", sku=sku
        )
    if len(serials) != units:
        raise InvalidInput(
            f"Item '{sku}' is serial-tracked: {units} units need {units} serials, "
            f"{len(serials)} given.",
            sku=sku,
            quantity=as_text(units),
            serials_given=len(serials),
        )
    repeated = sorted(s for s, n in Counter(serials).items() if n > 1)
    if repeated:
        raise InvalidInput(f"Serials named twice: {', '.join(repeated)}.", serials=repeated)


async def _known(session: AsyncSession, sku: str, serials: Sequence[str]) -> dict[str, Serial]:
    rows = await session.execute(
        select(Serial).where(Serial.sku == sku, Serial.serial.in_(sorted(set(serials))))
    )
    return {s.serial: s for s in rows.scalars()}


async def check_new(session: AsyncSession, sku: str, serials: Sequence[str]) -> None:
    """Serials to receive must be new for the sku; SerialInUse naming the ones that are not."""
    known = sorted(await _known(session, sku, serials))
    if known:
        raise SerialInUse(
            f"Serial(s) {', '.join(known)} of '{sku}' exist already.", sku=sku, serials=known
        )


async def number_units(
    session: AsyncSession, item: Item, prefix: str, quantity: Decimal
) -> list[str] | None:
    """Serials for units that arrive without any (made by an order, received at the dock): one
    per unit, numbered after their lot, order or receipt; none if the item is not serial-tracked,
    the quantity is not whole or the numbers are taken."""
    if not item.serial_tracked or quantity != quantity.to_integral_value():
        return None
    serials = [f"{prefix}-{n:04d}" for n in range(1, int(quantity) + 1)]
    try:
        await check_new(session, item.sku, serials)
    except SerialInUse:
        log.error("serials %s-* of %s exist already; the units have none", prefix, item.sku)
        return None
    return serials


async def reserved_serials(
    session: AsyncSession, sku: str, serials: Sequence[str], reserved: Counter[LevelKey]
) -> dict[str, list[str]]:
    """The serials named to issue a reservation's units of an sku, by warehouse; SerialNotInStock
    naming any not in stock where the reservation holds its units."""
    known = await _known(session, sku, serials)
    levels = {
        s: LevelKey(sku, known[s].warehouse, known[s].location, known[s].lot)
        for s in serials
        if s in known and known[s].status == IN_STOCK
    }
    named = Counter(levels.values())
    misplaced = sorted(
        s for s in serials if s not in levels or named[levels[s]] > reserved[levels[s]]
    )
    if misplaced:
        raise SerialNotInStock(
            f"Serial(s) {', '.join(misplaced)} of '{sku}' are not in stock where the "
            "reservation holds its units.",
            sku=sku,
            serials=misplaced,
        )
    by_warehouse: dict[str, list[str]] = {}
    for serial in serials:
        by_warehouse.setdefault(levels[serial].warehouse, []).append(serial)
    return by_warehouse


async def serial_levels(
    session: AsyncSession,
    sku: str,
    serials: Sequence[str],
    warehouse: str,
    location: str | None,
    lot: str | None,
) -> Counter[LevelKey]:
    """Where the serials to take are, counted per level; SerialNotInStock naming any that are not
    in stock at the warehouse (and location and lot, where named)."""
    known = await _known(session, sku, serials)
    missing = sorted(
        s
        for s in set(serials)
        if (found := known.get(s)) is None
        or found.status != IN_STOCK
        or found.warehouse != warehouse
        or (location is not None and found.location != location)
        or (lot is not None and found.lot != lot)
    )
    if missing:
        raise SerialNotInStock(
            f"Serial(s) {', '.join(missing)} of '{sku}' are not in stock in {warehouse}.",
            sku=sku,
            serials=missing,
            warehouse=warehouse,
        )
    return Counter(
        LevelKey(sku, known[s].warehouse, known[s].location, known[s].lot) for s in serials
    )


async def _oldest_in_stock(session: AsyncSession, key: LevelKey, count: int) -> list[str]:
    rows = await session.execute(
        select(Serial.serial)
        .where(
            Serial.sku == key.sku,
            Serial.status == IN_STOCK,
            Serial.warehouse == key.warehouse,
            Serial.location == key.location,
            Serial.lot == key.lot,
        )
        .order_by(Serial.created_at, Serial.serial)
        .limit(count)
    )
    return list(rows.scalars())


async def move_serials(
    session: AsyncSession,
    movement: Movement,
    lines: Sequence[tuple[LevelKey, Decimal]],
    serials: Sequence[str] | None,
) -> None:
    """Book what a movement did to its serials: new ones arrive, taken ones leave or move. An
    outbound movement that names none (issuing a reservation) takes the oldest at each level."""
    now = utcnow()
    out = [(key, -delta) for key, delta in lines if delta < ZERO]
    into = [key for key, delta in lines if delta > ZERO]
    if not out:
        key = into[0]
        for serial in serials or ():
            session.add(
                Serial(
                    sku=movement.sku,
                    serial=serial,
                    status=IN_STOCK,
                    warehouse=key.warehouse,
                    location=key.location,
                    lot=key.lot,
                    created_at=now,
                    updated_at=now,
                )
            )
        await session.flush()
        taken = [(key, list(serials or ()))]
    elif serials is not None:
        known = await _known(session, movement.sku, serials)
        by_level: dict[LevelKey, list[str]] = {}
        for serial in serials:
            found = known[serial]
            level = LevelKey(movement.sku, found.warehouse, found.location, found.lot)
            by_level.setdefault(level, []).append(serial)
        taken = list(by_level.items())
    else:
        taken = [
            (key, await _oldest_in_stock(session, key, int(quantity))) for key, quantity in out
        ]
    destination = {key.lot: key for key in into} if out else {}
    for level, names in taken:
        known = await _known(session, movement.sku, names)
        for name in names:
            unit = known[name]
            arrived = destination.get(level.lot)
            if arrived is not None:
                unit.warehouse, unit.location = arrived.warehouse, arrived.location
            elif out:
                unit.status = GONE.get(movement.kind, "issued")
            unit.updated_at = now
            session.add(
                SerialMovement(
                    sku=movement.sku,
                    serial=name,
                    movement_id=movement.id,
                    kind=movement.kind,
                    reference=movement.reference,
                    warehouse=unit.warehouse,
                    location=unit.location,
                    status=unit.status,
                    recorded_at=now,
                )
            )
    await session.flush()


@dataclass
class SerialHistory:
    """A serial where it is now and every movement of it, oldest first."""

    serial: Serial
    movements: list[SerialMovement]


async def serial_history(session: AsyncSession, sku: str, serial: str) -> SerialHistory:
    """A serial and its movements; NotFound if the sku never had it."""
    unit = await session.get(Serial, (sku, serial))
    if unit is None:
        raise NotFound(f"No serial '{serial}' of '{sku}'.", sku=sku, serial=serial)
    rows = await session.execute(
        select(SerialMovement)
        .where(SerialMovement.sku == sku, SerialMovement.serial == serial)
        .order_by(SerialMovement.id)
    )
    return SerialHistory(unit, list(rows.scalars()))
