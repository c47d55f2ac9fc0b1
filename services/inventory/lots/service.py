"""Tracing a lot through the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.domain.stock import ZERO
from services.inventory.holds.models import Hold
from services.inventory.movements.models import Movement, MovementLine
from services.inventory.stock.models import StockLevel
from shared.errors import NotFound


@dataclass
class Trace:
    """A lot's movements, levels and holds, with its totals."""

    sku: str
    lot: str
    received: Decimal
    issued: Decimal
    movements: list[Movement]
    levels: list[StockLevel]
    holds: list[Hold]


async def trace_lot(session: AsyncSession, sku: str, lot: str) -> Trace:
    """Every movement that touched the lot, where it is now and its holds; NotFound if none."""
    touched = select(MovementLine.movement_seq).where(
        MovementLine.sku == sku, MovementLine.lot == lot
    )
    movements = list(
        (
            await session.execute(
                select(Movement).where(Movement.seq.in_(touched)).order_by(Movement.seq)
            )
        ).scalars()
    )
    holds = list(
        (
            await session.execute(
                select(Hold).where(Hold.sku == sku, Hold.lot == lot).order_by(Hold.created_at)
            )
        ).scalars()
    )
    if not movements and not holds:
        raise NotFound(f"No lot '{lot}' of '{sku}'.", sku=sku, lot=lot)
    levels = (
        await session.execute(
            select(StockLevel)
            .where(StockLevel.sku == sku, StockLevel.lot == lot)
            .order_by(StockLevel.warehouse, StockLevel.location)
        )
    ).scalars()
    received = issued = ZERO
    for movement in movements:
        if movement.kind == "transfer":
            continue
        change = sum((line.quantity for line in movement.lines if line.lot == lot), ZERO)
        if change > ZERO:
            received += change
        else:
            issued -= change
    return Trace(
        sku=sku,
        lot=lot,
        received=received,
        issued=issued,
        movements=movements,
        levels=[lv for lv in levels if lv.on_hand or lv.reserved or lv.on_hold],
        holds=holds,
    )
