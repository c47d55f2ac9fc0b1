"""Tracing a lot through the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.domain.genealogy import LotKey, Node, flatten, walk
from services.inventory.domain.stock import ZERO
from services.inventory.genealogy.models import ReceiptSource
from services.inventory.genealogy.service import CHUNK, Direction, load_edges, receipt_sources
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


async def genealogy(
    session: AsyncSession, trace: Trace, direction: Direction, max_depth: int
) -> tuple[Node, dict[LotKey, list[Movement]], dict[str, ReceiptSource]]:
    """The lot's tree `down` to its component lots and their receipts, or `up` to the lots made
    from it and the issues (deliveries, scrap) that took it; with each lot's movements and the
    purchase sources of its receipts."""
    root = LotKey(trace.sku, trace.lot)
    edges = await load_edges(session, root, direction, max_depth)
    tree = walk(root, trace.received, edges, max_depth)
    keys = sorted({node.key for node, _ in flatten(tree)})
    kinds = ("receipt",) if direction == "down" else ("issue", "scrap")
    movements: dict[LotKey, list[Movement]] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        rows = await session.execute(
            select(MovementLine.sku, MovementLine.lot, Movement)
            .join(Movement, Movement.seq == MovementLine.movement_seq)
            .where(
                Movement.kind.in_(kinds),
                or_(*(and_(MovementLine.sku == k.sku, MovementLine.lot == k.lot) for k in chunk)),
            )
            .order_by(Movement.seq)
        )
        for sku, lot, movement in rows:
            found = movements.setdefault(LotKey(sku, lot), [])
            if movement not in found:
                found.append(movement)
    if direction == "up":
        # Issues into an order that made a lot of it show as that lot, not as a movement.
        made_by = {key: {e.reference for e in steps} for key, steps in edges.items()}
        for key, found in movements.items():
            found[:] = [m for m in found if m.reference not in made_by.get(key, set())]
    references = (m.reference for found in movements.values() for m in found if m.reference)
    return tree, movements, await receipt_sources(session, references)
