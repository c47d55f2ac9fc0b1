"""Levels and valuation rebuilt from the ledger, to check or repair the incrementally kept ones."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.domain.stock import ZERO, LevelKey, moving_average
from services.inventory.holds.models import Hold, HoldAllocation
from services.inventory.movements.models import Movement, MovementLine
from services.inventory.reservations.models import Reservation, ReservationAllocation
from services.inventory.stock.models import SkuStock, StockLevel
from services.inventory.stock.schemas import RebuildReport
from services.inventory.stock.service import lock_skus
from shared.numbers import quantize

Figures = dict[LevelKey, list[Decimal]]


async def ledger_figures(session: AsyncSession, sku: str) -> tuple[Figures, Decimal]:
    """On hand per level and the moving-average cost, replayed from the sku's movements."""
    figures: Figures = defaultdict(lambda: [ZERO, ZERO, ZERO])
    sums = await session.execute(
        select(
            MovementLine.warehouse,
            MovementLine.location,
            MovementLine.lot,
            func.sum(MovementLine.quantity),
        )
        .where(MovementLine.sku == sku)
        .group_by(MovementLine.warehouse, MovementLine.location, MovementLine.lot)
    )
    for warehouse, location, lot, quantity in sums:
        figures[LevelKey(sku, warehouse, location, lot)][0] = quantize(quantity or 0)
    on_hand, average = ZERO, ZERO
    movements = await session.execute(
        select(Movement.kind, Movement.quantity, Movement.unit_cost)
        .where(Movement.sku == sku)
        .order_by(Movement.seq)
    )
    for kind, quantity, unit_cost in movements:
        if kind == "receipt" or (kind == "adjustment" and quantity > ZERO):
            average = moving_average(on_hand, average, quantity, unit_cost)
        on_hand += {"issue": -quantity, "scrap": -quantity, "transfer": ZERO}.get(kind, quantity)
    return figures, average


async def held_figures(session: AsyncSession, sku: str) -> dict[LevelKey, Decimal]:
    """What active holds keep at each level of an sku."""
    rows = await session.execute(
        select(
            HoldAllocation.warehouse,
            HoldAllocation.location,
            HoldAllocation.lot,
            func.sum(HoldAllocation.quantity),
        )
        .join(Hold, Hold.id == HoldAllocation.hold_id)
        .where(HoldAllocation.sku == sku, Hold.status == "active")
        .group_by(HoldAllocation.warehouse, HoldAllocation.location, HoldAllocation.lot)
    )
    return {LevelKey(sku, w, loc, lot): quantize(q or 0) for w, loc, lot, q in rows}


async def reserved_figures(session: AsyncSession, sku: str) -> dict[LevelKey, Decimal]:
    """What confirmed reservations hold at each level of an sku."""
    rows = await session.execute(
        select(
            ReservationAllocation.warehouse,
            ReservationAllocation.location,
            ReservationAllocation.lot,
            func.sum(ReservationAllocation.quantity),
        )
        .join(Reservation, Reservation.id == ReservationAllocation.reservation_id)
        .where(ReservationAllocation.sku == sku, Reservation.status == "confirmed")
        .group_by(
            ReservationAllocation.warehouse,
            ReservationAllocation.location,
            ReservationAllocation.lot,
        )
    )
    return {LevelKey(sku, w, loc, lot): quantize(q or 0) for w, loc, lot, q in rows}


async def rebuild_levels(session: AsyncSession) -> RebuildReport:
    """Recompute every sku's figures and fix what differs: on hand per level and the average cost
    from the ledger, reserved from the confirmed reservations, on hold from the active holds.
    """
    skus = set((await session.execute(select(SkuStock.sku))).scalars())
    skus |= set((await session.execute(select(Movement.sku).distinct())).scalars())
    # It writes levels itself, so it keeps none of them from the lock.
    locked = await lock_skus(session, skus, with_levels=False)
    corrected: list[str] = []
    level_count = 0
    for sku in sorted(skus):
        totals = locked[sku]
        figures, average = await ledger_figures(session, sku)
        for key, quantity in (await reserved_figures(session, sku)).items():
            figures[key][1] = quantity
        for key, quantity in (await held_figures(session, sku)).items():
            figures[key][2] = quantity
        stored = (await session.execute(select(StockLevel).where(StockLevel.sku == sku))).scalars()
        changed = False
        by_key = {LevelKey(lv.sku, lv.warehouse, lv.location, lv.lot): lv for lv in stored}
        for key, level in by_key.items():
            wanted = figures[key] if key in figures else [ZERO, ZERO, ZERO]
            if [level.on_hand, level.reserved, level.on_hold] != wanted:
                level.on_hand, level.reserved, level.on_hold = wanted
                changed = True
        for key, (on_hand, reserved, on_hold) in figures.items():
            if key not in by_key and (on_hand or reserved or on_hold):
                session.add(
                    StockLevel(
                        sku=sku,
                        warehouse=key.warehouse,
                        location=key.location,
                        lot=key.lot,
                        on_hand=on_hand,
                        reserved=reserved,
                        on_hold=on_hold,
                        first_received_at=totals.updated_at,
                    )
                )
                changed = True
        level_count += len(figures)
        await session.flush()
        levels = (await session.execute(select(StockLevel).where(StockLevel.sku == sku))).scalars()
        sums = [ZERO, ZERO, ZERO]
        for level in levels:
            sums[0] += level.on_hand
            sums[1] += level.reserved
            sums[2] += level.on_hold
        if [
            totals.on_hand,
            totals.reserved,
            totals.on_hold,
        ] != sums or totals.average_cost != average:
            totals.on_hand, totals.reserved, totals.on_hold = sums
            totals.average_cost = average
            changed = True
        if changed:
            corrected.append(sku)
    await session.flush()
    return RebuildReport(skus=len(skus), levels=level_count, corrected=corrected)
