"""Booking a cycle count."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.counts.schemas import CycleCountCreate
from services.inventory.domain.stock import ZERO, LevelKey
from services.inventory.movements.models import Movement
from services.inventory.movements.service import Booking, book, item_for_movement
from services.inventory.stock.models import StockLevel
from services.inventory.stock.service import lock_skus
from services.inventory.warehouses.service import require_place


async def record_count(
    session: AsyncSession, data: CycleCountCreate, recorded_by: str
) -> tuple[Decimal, Movement | None]:
    """Compare a count with the level's on hand and book the difference as an adjustment.

    A count below what is reserved or held there is refused (409): those must be settled first.
    Returns the book quantity and the adjustment, if one was needed.
    """
    item = await item_for_movement(session, data.sku)
    await require_place(session, data.warehouse, data.location)
    totals = (await lock_skus(session, [data.sku]))[data.sku]
    key = LevelKey(data.sku, data.warehouse, data.location or "", data.lot or "")
    level = await session.get(StockLevel, (key.sku, key.warehouse, key.location, key.lot))
    on_book = level.on_hand if level is not None else ZERO
    difference = data.counted_quantity - on_book
    if difference == ZERO:
        return on_book, None
    booking = Booking(
        kind="adjustment",
        sku=data.sku,
        quantity=difference,
        warehouse=data.warehouse,
        location=data.location,
        lot=data.lot,
        reason=data.reason,
        lines=[(key, difference)],
    )
    return on_book, await book(session, item, totals, booking, recorded_by)
