"""Booking the receipts logistics records at the dock, and the lines kept for an operator."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.domain.stock import ZERO, LevelKey
from services.inventory.items.models import Item
from services.inventory.movements.models import Movement
from services.inventory.movements.service import Booking, book
from services.inventory.receiving.models import ParkedReceiptLine
from services.inventory.serials.service import number_units
from services.inventory.stock.models import SkuStock
from services.inventory.stock.service import lock_skus
from services.inventory.warehouses.models import Warehouse
from services.inventory.warehouses.service import DEFAULT_WAREHOUSE
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import IllegalTransition, InvalidInput
from shared.queries import fetch_page, get_one
from shared.upsert import insert_if_absent

log = logging.getLogger("plantline.inventory.receiving")

UNKNOWN_SKU = "no item with this sku when the goods were received"


@dataclass(frozen=True)
class ReceivedLine:
    """A line of goods received."""

    sku: str
    quantity: Decimal
    unit_price: Decimal
    lot: str | None = None


async def book_receipt(
    session: AsyncSession,
    receipt_id: str,
    warehouse: str | None,
    lines: list[ReceivedLine],
    purchase_order_id: str | None = None,
) -> list[Movement]:
    """One receipt movement per line, referencing the receipt; a line whose sku inventory does
    not know is parked for an operator instead. A receipt already booked or parked is not
    booked again (a redelivered or republished event moves nothing twice)."""
    if await _receipt_seen(session, receipt_id):
        return []
    place = warehouse or DEFAULT_WAREHOUSE
    # The dock named the warehouse; inventory learns of it from the goods.
    await insert_if_absent(
        session,
        Warehouse.__table__,  # type: ignore[arg-type]
        {"code": place, "name": place, "created_at": utcnow()},
    )
    known: list[ReceivedLine] = []
    for line in lines:
        if line.quantity <= ZERO:
            log.warning(
                "receipt %s: sku %s with no quantity; nothing to book", receipt_id, line.sku
            )
        elif await session.get(Item, line.sku) is None:
            await _park(session, receipt_id, purchase_order_id, place, line, UNKNOWN_SKU)
        else:
            known.append(line)
    totals = await lock_skus(session, (line.sku for line in known))
    movements = []
    for line in known:
        item = await session.get(Item, line.sku)
        assert item is not None
        movements.append(await _book_line(session, item, totals[line.sku], receipt_id, place, line))
    return movements


async def _receipt_seen(session: AsyncSession, receipt_id: str) -> bool:
    booked = await session.execute(
        select(Movement.id).where(Movement.reference == receipt_id, Movement.kind == "receipt")
    )
    if booked.first() is not None:
        return True
    parked = await session.execute(
        select(ParkedReceiptLine.id).where(ParkedReceiptLine.receipt_id == receipt_id)
    )
    return parked.first() is not None


async def _book_line(
    session: AsyncSession,
    item: Item,
    totals: SkuStock,
    receipt_id: str,
    place: str,
    line: ReceivedLine,
    recorded_by: str = "logistics",
) -> Movement:
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
    return await book(session, item, totals, booking, recorded_by)


async def _park(
    session: AsyncSession,
    receipt_id: str,
    purchase_order_id: str | None,
    place: str,
    line: ReceivedLine,
    reason: str,
) -> None:
    log.warning("receipt %s: sku %s unknown; line parked for an operator", receipt_id, line.sku)
    session.add(
        ParkedReceiptLine(
            id=new_id(),
            receipt_id=receipt_id,
            purchase_order_id=purchase_order_id,
            warehouse=place,
            sku=line.sku,
            quantity=line.quantity,
            unit_price=line.unit_price,
            lot=line.lot,
            reason=reason,
            status="parked",
            parked_at=utcnow(),
            applied_at=None,
            applied_by=None,
            movement_id=None,
        )
    )
    await session.flush()


async def list_parked_lines(
    session: AsyncSession,
    page: PageParams,
    status: str | None = None,
    sku: str | None = None,
    receipt_id: str | None = None,
) -> tuple[list[ParkedReceiptLine], int]:
    """Parked receipt lines, oldest first, filtered, one page."""
    query = select(ParkedReceiptLine)
    if status:
        query = query.where(ParkedReceiptLine.status == status)
    if sku:
        query = query.where(ParkedReceiptLine.sku == sku)
    if receipt_id:
        query = query.where(ParkedReceiptLine.receipt_id == receipt_id)
    return await fetch_page(session, query, page, ParkedReceiptLine.parked_at, ParkedReceiptLine.id)


async def get_parked_line(
    session: AsyncSession, line_id: str, *, for_update: bool = False
) -> ParkedReceiptLine:
    """A parked line by id, or NotFound."""
    return await get_one(
        session,
        ParkedReceiptLine,
        line_id,
        f"No parked receipt line '{line_id}'.",
        line_id=line_id,
        for_update=for_update,
    )


async def apply_parked_line(
    session: AsyncSession, line_id: str, applied_by: str
) -> tuple[ParkedReceiptLine, Movement]:
    """Book a parked line as the receipt it was, now that its item exists; once only."""
    parked = await get_parked_line(session, line_id, for_update=True)
    if parked.status != "parked":
        raise IllegalTransition(
            f"Parked receipt line '{line_id}' was applied already.",
            line_id=line_id,
            current_status=parked.status,
            movement_id=parked.movement_id,
        )
    item = await session.get(Item, parked.sku)
    if item is None:
        raise InvalidInput(
            f"No item with sku '{parked.sku}' yet; create it, then apply the line.",
            sku=parked.sku,
            line_id=line_id,
        )
    totals = (await lock_skus(session, [parked.sku]))[parked.sku]
    line = ReceivedLine(
        sku=parked.sku, quantity=parked.quantity, unit_price=parked.unit_price, lot=parked.lot
    )
    movement = await _book_line(
        session, item, totals, parked.receipt_id, parked.warehouse, line, applied_by
    )
    parked.status, parked.applied_at = "applied", utcnow()
    parked.applied_by, parked.movement_id = applied_by, movement.id
    await session.flush()
    return parked, movement
