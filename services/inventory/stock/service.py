"""Stock levels and totals: locking an sku, changing levels, announcing changes, reading stock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

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
from shared.errors import InsufficientStock, NotFound
from shared.upsert import insert_if_absent


async def lock_skus(session: AsyncSession, skus: Iterable[str]) -> dict[str, SkuStock]:
    """Lock the skus' totals rows, creating them if needed, in sku order so writers never deadlock.

    Every change to an sku's levels happens under this lock (SQLite serialises writers anyway).
    """
    locked: dict[str, SkuStock] = {}
    for sku in sorted(set(skus)):
        await insert_if_absent(
            session,
            SkuStock.__table__,  # type: ignore[arg-type]
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
        row = await session.execute(
            select(SkuStock)
            .where(SkuStock.sku == sku)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        locked[sku] = row.scalar_one()
    return locked


async def levels_of(
    session: AsyncSession,
    sku: str,
    warehouse: str | None = None,
    location: str | None = None,
    lot: str | None = None,
) -> list[StockLevel]:
    """An sku's levels in the order stock is drawn: first to expire first, then oldest first."""
    query = select(StockLevel).where(StockLevel.sku == sku)
    if warehouse is not None:
        query = query.where(StockLevel.warehouse == warehouse)
    if location is not None:
        query = query.where(StockLevel.location == location)
    if lot is not None:
        query = query.where(StockLevel.lot == lot)
    query = query.order_by(
        StockLevel.expires_on.is_(None),
        StockLevel.expires_on,
        StockLevel.first_received_at,
        StockLevel.warehouse,
        StockLevel.location,
        StockLevel.lot,
    )
    return list((await session.execute(query)).scalars())


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
    if expires_on is not None and (level.expires_on is None or expires_on < level.expires_on):
        level.expires_on = expires_on
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
        raise NotFound(f"No item with sku '{sku}'.", sku=sku)
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
