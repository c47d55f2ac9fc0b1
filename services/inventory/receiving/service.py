"""Booking the receipts logistics records at the dock."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.domain.stock import LevelKey
from services.inventory.items.models import Item
from services.inventory.movements.models import Movement
from services.inventory.movements.service import Booking, book
from services.inventory.serials.service import number_units
from services.inventory.stock.service import lock_skus
from services.inventory.warehouses.models import Warehouse
from services.inventory.warehouses.service import DEFAULT_WAREHOUSE
from shared.db import utcnow
from shared.upsert import insert_if_absent

log = logging.getLogger("plantline.inventory.receiving")


@dataclass(frozen=True)
class ReceivedLine:
    """A line of goods received."""

    sku: str
    quantity: Decimal
    unit_price: Decimal
    lot: str | None = None


async def book_receipt(
    session: AsyncSession, receipt_id: str, warehouse: str | None, lines: list[ReceivedLine]
) -> list[Movement]:
    """One receipt movement per line, referencing the receipt; a receipt already booked is not
    booked again (a redelivered or republished event moves nothing twice)."""
    booked = await session.execute(
        select(Movement.id).where(Movement.reference == receipt_id, Movement.kind == "receipt")
    )
    if booked.first() is not None:
        return []
    place = warehouse or DEFAULT_WAREHOUSE
    # The dock named the warehouse; inventory learns of it from the goods.
    await insert_if_absent(
        session,
        Warehouse.__table__,  # type: ignore[arg-type]
        {"code": place, "name": place, "created_at": utcnow()},
    )
    known = [
        line
        for line in lines
        if line.quantity > 0 and await session.get(Item, line.sku) is not None
    ]
    for line in lines:
        if line not in known:
            log.error("receipt %s: sku %s unknown or no quantity; not booked", receipt_id, line.sku)
    totals = await lock_skus(session, (line.sku for line in known))
    movements = []
    for line in known:
        item = await session.get(Item, line.sku)
        assert item is not None
        booking = Booking(
            kind="receipt",
            sku=line.sku,
            quantity=line.quantity,
            warehouse=place,
            lot=line.lot,
            unit_cost=line.unit_price,
            reference=receipt_id,
            reason="purchase order received",
            lines=[(LevelKey(line.sku, place, "", line.lot or ""), line.quantity)],
            serials=await number_units(session, item, line.lot or receipt_id, line.quantity),
        )
        movements.append(await book(session, item, totals[line.sku], booking, "logistics"))
    return movements
