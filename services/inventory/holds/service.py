"""Use cases of holds: hold a lot, release it, scrap it."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.database import outbox
from services.inventory.domain.stock import ZERO, LevelKey
from services.inventory.events import LotHeld, LotReleased, LotScrapped
from services.inventory.holds.models import Hold, HoldAllocation
from services.inventory.items.models import Item
from services.inventory.movements.models import Movement, MovementLine
from services.inventory.movements.service import Booking, book, unknown_item
from services.inventory.stock.service import announce, change_level, free, levels_of, lock_skus
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import AlreadyExists, IllegalTransition, NotFound
from shared.queries import DatedListParams, fetch_page, get_one, unknown_code_problem


async def active_hold(session: AsyncSession, sku: str, lot: str) -> Hold | None:
    """The active hold on a lot, if any."""
    rows = await session.execute(
        select(Hold).where(Hold.sku == sku, Hold.lot == lot, Hold.status == "active")
    )
    return rows.scalars().first()


async def require_known_lot(session: AsyncSession, sku: str, lot: str) -> None:
    """NotFound unless stock of the lot was ever booked, suggesting a lot that differs only in
    case; a hold on a lot typed wrong would hold nothing and protect nothing."""
    if await session.get(Item, sku) is None:
        raise await unknown_item(session, sku)
    booked = await session.execute(
        select(MovementLine.id).where(MovementLine.sku == sku, MovementLine.lot == lot).limit(1)
    )
    if booked.first() is None:
        raise await unknown_code_problem(
            session,
            MovementLine.lot,
            lot,
            f"lot of '{sku}'",
            NotFound,
            (MovementLine.sku == sku,),
            sku=sku,
            lot=lot,
        )


async def hold_lot(session: AsyncSession, sku: str, lot: str, reason: str) -> Hold:
    """Put what is available of a lot on hold, and whatever arrives into it later.

    AlreadyExists if the lot is on hold; stock already reserved stays reserved.
    """
    if await session.get(Item, sku) is None:
        raise await unknown_item(session, sku)
    totals = (await lock_skus(session, [sku]))[sku]
    existing = await active_hold(session, sku, lot)
    if existing is not None:
        raise AlreadyExists(
            f"Lot '{lot}' of '{sku}' is on hold already.", hold_id=existing.id, sku=sku, lot=lot
        )
    now = utcnow()
    hold = Hold(
        id=new_id(),
        sku=sku,
        lot=lot,
        status="active",
        reason=reason,
        quantity=ZERO,
        created_at=now,
        updated_at=now,
        allocations=[],
    )
    for level in free(await levels_of(session, sku, lot=lot)):
        if level.available <= ZERO:
            continue
        await change_level(session, totals, level.key, on_hold=level.available)
        hold.allocations.append(
            HoldAllocation(
                sku=sku,
                warehouse=level.key.warehouse,
                location=level.key.location,
                lot=lot,
                quantity=level.available,
            )
        )
        hold.quantity += level.available
    session.add(hold)
    await session.flush()
    await announce(session, totals)
    await outbox.record(
        session, LotHeld(sku=sku, lot=lot, quantity=hold.quantity, reason=reason), f"{sku}:{lot}"
    )
    return hold


async def get_hold(session: AsyncSession, hold_id: str, *, for_update: bool = False) -> Hold:
    """A hold by id, or NotFound."""
    return await get_one(
        session, Hold, hold_id, f"No hold '{hold_id}'.", hold_id=hold_id, for_update=for_update
    )


LIST_HOLDS_DEFAULT = DatedListParams("created_at")


async def list_holds(
    session: AsyncSession,
    page: PageParams,
    sku: str | None = None,
    lot: str | None = None,
    status: str | None = None,
    dated: DatedListParams = LIST_HOLDS_DEFAULT,
) -> tuple[list[Hold], int]:
    """Holds, oldest first (or as sorted), filtered, one page."""
    query = dated.within(select(Hold), Hold.created_at)
    if sku:
        query = query.where(Hold.sku == sku)
    if lot:
        query = query.where(Hold.lot == lot)
    if status:
        query = query.where(Hold.status == status)
    order = dated.order_by({"created_at": Hold.created_at})
    return await fetch_page(session, query, page, *order, Hold.id)


def _require_active(hold: Hold, action: str) -> None:
    if hold.status != "active":
        raise IllegalTransition(
            f"A {hold.status} hold cannot be {action}.", current_status=hold.status, hold_id=hold.id
        )


async def release_hold(session: AsyncSession, hold_id: str) -> Hold:
    """Make a held lot available again."""
    hold = await get_hold(session, hold_id, for_update=True)
    _require_active(hold, "released")
    totals = (await lock_skus(session, [hold.sku]))[hold.sku]
    for a in hold.allocations:
        key = LevelKey(a.sku, a.warehouse, a.location, a.lot)
        await change_level(session, totals, key, on_hold=-a.quantity)
    hold.status, hold.updated_at = "released", utcnow()
    await session.flush()
    await announce(session, totals)
    await outbox.record(
        session,
        LotReleased(sku=hold.sku, lot=hold.lot, quantity=hold.quantity, reason=hold.reason),
        f"{hold.sku}:{hold.lot}",
    )
    return hold


async def scrap_hold(
    session: AsyncSession, hold_id: str, recorded_by: str
) -> tuple[Hold, list[Movement]]:
    """Scrap a held lot: one scrap movement per warehouse, valued at the average cost."""
    hold = await get_hold(session, hold_id, for_update=True)
    _require_active(hold, "scrapped")
    totals = (await lock_skus(session, [hold.sku]))[hold.sku]
    item = await session.get(Item, hold.sku)
    assert item is not None  # holds only name known items
    by_warehouse: dict[str, list[HoldAllocation]] = defaultdict(list)
    for a in hold.allocations:
        if a.quantity > ZERO:
            by_warehouse[a.warehouse].append(a)
    movements = []
    for warehouse, allocations in sorted(by_warehouse.items()):
        booking = Booking(
            kind="scrap",
            sku=hold.sku,
            quantity=sum((a.quantity for a in allocations), ZERO),
            warehouse=warehouse,
            lot=hold.lot,
            reason=f"held lot scrapped: {hold.reason}"[:500],
            reference=hold.id,
            lines=[
                (LevelKey(a.sku, a.warehouse, a.location, a.lot), -a.quantity) for a in allocations
            ],
            from_held=True,
        )
        movements.append(await book(session, item, totals, booking, recorded_by))
    hold.status, hold.updated_at = "scrapped", utcnow()
    await session.flush()
    await outbox.record(
        session,
        LotScrapped(sku=hold.sku, lot=hold.lot, quantity=hold.quantity, reason=hold.reason),
        f"{hold.sku}:{hold.lot}",
    )
    return hold, movements
