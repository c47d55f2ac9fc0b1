"""Stock levels and totals: locking an sku, changing levels, announcing changes, reading stock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from services.inventory.database import outbox
from services.inventory.domain.stock import (
    ZERO,
    LevelAvailability,
    LevelKey,
    available,
    reorder_crossing,
    suggested_quantity,
)
from services.inventory.events import StockBelowReorderPoint, StockChanged, WarehouseStock
from services.inventory.items.models import Item
from services.inventory.stock.models import SkuStock, StockLevel
from shared.db import utcnow
from shared.dependencies import PageParams
from shared.errors import InsufficientStock
from shared.queries import unknown_code_problem
from shared.upsert import lock_row

LOCKED_LEVELS = "inventory_locked_levels"
"""session.info key of the levels loaded with their skus' locks, for the rest of the transaction."""


@dataclass
class LockedLevels:
    """All of a locked sku's levels, loaded once under its lock and kept for its transaction.

    While the transaction holds the sku's lock nobody else changes its levels, so these are
    what a query would return. `in_order` is the draw order of `levels_of`; it is dropped when
    a level is added or its expiry changes, and `levels_of` then asks the database again.
    """

    totals: SkuStock
    by_key: dict[LevelKey, StockLevel]
    in_order: list[StockLevel] | None


def locked_levels(session: AsyncSession, sku: str) -> LockedLevels | None:
    """The levels loaded with the sku's lock in this transaction, if it was locked."""
    held: dict[str, LockedLevels] | None = session.sync_session.info.get(LOCKED_LEVELS)
    return held.get(sku) if held else None


@event.listens_for(Session, "after_transaction_end")
def _forget_locked_levels(session: Session, transaction: SessionTransaction) -> None:
    # A lock ends with its transaction, and a savepoint's end may have undone level changes
    # (a flush's own inner transaction changes nothing).
    if transaction.parent is None or transaction.nested:
        session.info.pop(LOCKED_LEVELS, None)


def _draw_order() -> tuple[Any, ...]:
    return (
        StockLevel.expires_on.is_(None),
        StockLevel.expires_on,
        StockLevel.first_received_at,
        StockLevel.warehouse,
        StockLevel.location,
        StockLevel.lot,
    )


_LEVELS_OF_SKUS = (
    select(StockLevel)
    .where(StockLevel.sku.in_(bindparam("skus", expanding=True)))
    .order_by(*_draw_order())
)


_TOTALS_AND_LEVELS_OF_SKUS = (
    select(SkuStock, StockLevel)
    .outerjoin(StockLevel, StockLevel.sku == SkuStock.sku)
    .where(SkuStock.sku.in_(bindparam("skus", expanding=True)))
    .order_by(SkuStock.sku, *_draw_order())
)


async def lock_skus(
    session: AsyncSession, skus: Iterable[str], *, with_levels: bool = True
) -> dict[str, SkuStock]:
    """Lock the skus' totals rows, creating them if needed, in sku order so writers never deadlock.

    Every change to an sku's levels happens under this lock (SQLite serialises writers anyway).
    Unless told otherwise, the skus' levels are loaded too and kept for the transaction
    (`locked_levels`): `change_level`, `levels_of` and `announce` then need no query.
    """
    wanted = sorted(set(skus))
    if with_levels and session.get_bind().dialect.name == "sqlite":
        return await _read_skus_under_write_lock(session, wanted)
    locked: dict[str, SkuStock] = {}
    for sku in wanted:
        locked[sku] = await _lock_totals(session, sku)
    if with_levels:
        held = _held_levels(session)
        for sku, totals in locked.items():
            if sku in held:
                held[sku].totals = totals
        loading = [sku for sku in locked if sku not in held]
        for sku in loading:
            held[sku] = LockedLevels(locked[sku], {}, [])
        await _load_levels(session, held, loading)
    return locked


async def _read_skus_under_write_lock(
    session: AsyncSession, skus: list[str]
) -> dict[str, SkuStock]:
    """`lock_skus` on SQLite, whose transaction holds the database's write lock from its start:
    the totals and levels not yet kept are read in one query, and only totals rows missing are
    created. (On PostgreSQL the levels must be read after the lock is granted, not with it.)"""
    held = _held_levels(session)
    loading = [sku for sku in skus if sku not in held]
    if loading:
        rows = await session.execute(
            _TOTALS_AND_LEVELS_OF_SKUS,
            {"skus": loading},
            execution_options={"populate_existing": True},
        )
        for totals, level in rows:
            known = held.get(totals.sku)
            if known is None:
                known = held[totals.sku] = LockedLevels(totals, {}, [])
            if level is not None:
                _keep(known, level)
    missing = [sku for sku in skus if sku not in held]
    for sku in missing:
        held[sku] = LockedLevels(await _lock_totals(session, sku), {}, [])
    # A totals row is created with the sku's first level, so there are none; but be sure.
    await _load_levels(session, held, missing)
    return {sku: held[sku].totals for sku in skus}


async def _load_levels(
    session: AsyncSession, held: dict[str, LockedLevels], skus: list[str]
) -> None:
    """Read the skus' levels, in draw order, into what the transaction keeps of them."""
    if skus:
        levels = await session.execute(
            _LEVELS_OF_SKUS, {"skus": skus}, execution_options={"populate_existing": True}
        )
        for level in levels.scalars():
            _keep(held[level.sku], level)


def _held_levels(session: AsyncSession) -> dict[str, LockedLevels]:
    held: dict[str, LockedLevels] = session.sync_session.info.setdefault(LOCKED_LEVELS, {})
    return held


def _keep(known: LockedLevels, level: StockLevel) -> None:
    known.by_key[key_of(level)] = level
    assert known.in_order is not None
    known.in_order.append(level)


async def _lock_totals(session: AsyncSession, sku: str) -> SkuStock:
    """The sku's totals row, created with zeros if absent, locked for the transaction."""
    return await lock_row(
        session,
        SkuStock,
        {
            "sku": sku,
            "on_hand": ZERO,
            "reserved": ZERO,
            "on_hold": ZERO,
            "average_cost": ZERO,
            "below_reorder_point": True,
            "updated_at": utcnow(),
        },
    )


async def levels_of(
    session: AsyncSession,
    sku: str,
    warehouse: str | None = None,
    location: str | None = None,
    lot: str | None = None,
) -> list[StockLevel]:
    """An sku's levels in the order stock is drawn: first to expire first, then oldest first."""
    known = locked_levels(session, sku)
    if known is not None and known.in_order is not None:
        return [
            lv
            for lv in known.in_order
            if (warehouse is None or lv.warehouse == warehouse)
            and (location is None or lv.location == location)
            and (lot is None or lv.lot == lot)
        ]
    query = select(StockLevel).where(StockLevel.sku == sku)
    if warehouse is not None:
        query = query.where(StockLevel.warehouse == warehouse)
    if location is not None:
        query = query.where(StockLevel.location == location)
    if lot is not None:
        query = query.where(StockLevel.lot == lot)
    levels = list((await session.execute(query.order_by(*_draw_order()))).scalars())
    if known is not None and warehouse is None and location is None and lot is None:
        known.in_order = levels
    return levels


def key_of(level: StockLevel) -> LevelKey:
    """The level's key."""
    return LevelKey(level.sku, level.warehouse, level.location, level.lot)


def free(levels: Iterable[StockLevel]) -> list[LevelAvailability]:
    """What each level has free to move."""
    return [
        LevelAvailability(key_of(lv), available(lv.on_hand, lv.reserved, lv.on_hold))
        for lv in levels
    ]


async def change_level(
    session: AsyncSession,
    totals: SkuStock,
    key: LevelKey,
    *,
    on_hand: Decimal = ZERO,
    reserved: Decimal = ZERO,
    on_hold: Decimal = ZERO,
    at: datetime | None = None,
    expires_on: date | None = None,
) -> StockLevel:
    """Add to a level's figures and the sku's totals; never lets either go below zero."""
    known = locked_levels(session, key.sku)
    if known is not None:
        level = known.by_key.get(key)
    else:
        level = await session.get(StockLevel, (key.sku, key.warehouse, key.location, key.lot))
    if level is None:
        level = StockLevel(
            sku=key.sku,
            warehouse=key.warehouse,
            location=key.location,
            lot=key.lot,
            on_hand=ZERO,
            reserved=ZERO,
            on_hold=ZERO,
            first_received_at=at or utcnow(),
        )
        session.add(level)
        if known is not None:
            known.by_key[key] = level
            known.in_order = None
    if expires_on is not None and (level.expires_on is None or expires_on < level.expires_on):
        level.expires_on = expires_on
        if known is not None:
            known.in_order = None
    level.on_hand += on_hand
    level.reserved += reserved
    level.on_hold += on_hold
    if (
        min(level.on_hand, level.reserved, level.on_hold) < ZERO
        or available(level.on_hand, level.reserved, level.on_hold) < ZERO
    ):
        raise InsufficientStock(
            f"Not enough stock of '{key.sku}' in {key.warehouse}.",
            sku=key.sku,
            warehouse=key.warehouse,
        )
    totals.on_hand += on_hand
    totals.reserved += reserved
    totals.on_hold += on_hold
    totals.updated_at = utcnow()
    return level


@dataclass(frozen=True)
class StockView:
    """An sku's stock as the API and the stock.changed event show it."""

    sku: str
    on_hand: Decimal
    reserved: Decimal
    on_hold: Decimal
    available: Decimal
    average_cost: Decimal
    by_warehouse: list[WarehouseStock]
    levels: list[StockLevel]


async def stock_view(session: AsyncSession, sku: str) -> StockView:
    """An sku's totals and its stock per warehouse (zeros if it never had any)."""
    known = locked_levels(session, sku)
    totals: SkuStock | None
    if known is not None and known.in_order is not None:
        totals, levels = known.totals, known.in_order
    else:
        await session.flush()
        totals = await session.get(SkuStock, sku)
        levels = await levels_of(session, sku)
    by_warehouse: dict[str, list[Decimal]] = {}
    for level in sorted(levels, key=key_of):
        sums = by_warehouse.setdefault(level.warehouse, [ZERO, ZERO, ZERO])
        sums[0] += level.on_hand
        sums[1] += level.reserved
        sums[2] += level.on_hold
    on_hand, reserved, on_hold = (
        (totals.on_hand, totals.reserved, totals.on_hold) if totals else (ZERO, ZERO, ZERO)
    )
    return StockView(
        sku=sku,
        on_hand=on_hand,
        reserved=reserved,
        on_hold=on_hold,
        available=available(on_hand, reserved, on_hold),
        average_cost=totals.average_cost if totals else ZERO,
        by_warehouse=[
            WarehouseStock(
                warehouse=code,
                on_hand=s[0],
                reserved=s[1],
                on_hold=s[2],
                available=available(s[0], s[1], s[2]),
            )
            for code, s in by_warehouse.items()
            if any(s)
        ],
        levels=[lv for lv in levels if lv.on_hand or lv.reserved or lv.on_hold],
    )


async def get_stock(session: AsyncSession, sku: str) -> StockView:
    """An item's stock, or NotFound if the sku is not in the item master."""
    if await session.get(Item, sku) is None:
        raise await unknown_code_problem(session, Item.sku, sku, "sku", sku=sku)
    return await stock_view(session, sku)


async def list_stock(
    session: AsyncSession, page: PageParams, sku_prefix: str | None = None
) -> tuple[list[StockView], int]:
    """Stock of the skus that ever had any, by sku, one page."""
    query = select(SkuStock.sku)
    if sku_prefix:
        query = query.where(SkuStock.sku.startswith(sku_prefix, autoescape=True))
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    skus = await session.execute(query.order_by(SkuStock.sku).limit(page.limit).offset(page.offset))
    return [await stock_view(session, sku) for sku in skus.scalars()], int(total)


async def announce(session: AsyncSession, totals: SkuStock) -> None:
    """Publish the sku's new stock, and a reorder alert if available just fell below the point."""
    view = await stock_view(session, totals.sku)
    await outbox.record(
        session,
        StockChanged(
            sku=view.sku,
            on_hand=view.on_hand,
            reserved=view.reserved,
            on_hold=view.on_hold,
            available=view.available,
            average_cost=view.average_cost,
            by_warehouse=view.by_warehouse,
        ),
        view.sku,
    )
    item = await session.get(Item, totals.sku)
    if item is None:
        return
    below, alert = reorder_crossing(view.available, item.reorder_point, totals.below_reorder_point)
    totals.below_reorder_point = below
    if alert:
        await outbox.record(
            session,
            StockBelowReorderPoint(
                sku=item.sku,
                available=view.available,
                reorder_point=item.reorder_point,
                reorder_quantity=item.reorder_quantity,
                safety_stock=item.safety_stock,
                suggested_quantity=suggested_quantity(
                    view.available, item.reorder_point, item.reorder_quantity, item.safety_stock
                ),
            ),
            item.sku,
        )
