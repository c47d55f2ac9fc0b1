"""Use cases of suppliers, carriers, purchase orders and receipts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.logistics.database import outbox
from services.logistics.domain.receiving import receivable, status_after_receipt
from services.logistics.events import (
    OrderedLine,
    PurchaseOrderCancelled,
    PurchaseOrderClosed,
    PurchaseOrderPlaced,
    PurchaseOrderProposed,
    PurchaseOrderReceived,
    ReceivedLine,
)
from services.logistics.purchasing.models import (
    Carrier,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    Supplier,
    SupplierItem,
)
from services.logistics.purchasing.schemas import (
    CarrierCreate,
    OrderLineWrite,
    PurchaseOrderCreate,
    PurchaseOrderUpdate,
    ReceiveRequest,
    SupplierCreate,
    SupplierItemWrite,
)
from shared.concurrency import check_if_match
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import AlreadyExists, IllegalTransition, InvalidInput
from shared.queries import DatedListParams, fetch_page, get_by_code, get_one

OPEN_FOR_RECEIPT = ("placed", "partially_received")


async def create_supplier(session: AsyncSession, data: SupplierCreate) -> Supplier:
    """Add a supplier."""
    if await session.get(Supplier, data.code) is not None:
        raise AlreadyExists(f"A supplier with code '{data.code}' exists already.", code=data.code)
    now = utcnow()
    supplier = Supplier(**data.model_dump(), version=1, created_at=now, updated_at=now)
    session.add(supplier)
    await session.flush()
    return supplier


async def get_supplier(session: AsyncSession, code: str) -> Supplier:
    """A supplier by code, or NotFound."""
    return await get_by_code(session, Supplier, code, "supplier", code=code)


async def list_suppliers(session: AsyncSession, page: PageParams) -> tuple[list[Supplier], int]:
    """Suppliers by code, one page, and how many there are."""
    return await fetch_page(session, select(Supplier), page, Supplier.code)


async def replace_supplier_items(
    session: AsyncSession, code: str, items: Sequence[SupplierItemWrite]
) -> list[SupplierItem]:
    """Replace the list of items a supplier sells; a sku has one preferred supplier at most."""
    await get_supplier(session, code)
    skus = [i.sku for i in items]
    if len(set(skus)) != len(skus):
        raise InvalidInput(
            "A sku appears twice.", duplicate_skus=sorted({s for s in skus if skus.count(s) > 1})
        )
    await session.execute(delete(SupplierItem).where(SupplierItem.supplier == code))
    preferred = [i.sku for i in items if i.preferred]
    if preferred:
        others = await session.execute(
            select(SupplierItem).where(
                SupplierItem.sku.in_(preferred), SupplierItem.supplier != code
            )
        )
        for other in others.scalars():
            other.preferred = False
    rows = [SupplierItem(supplier=code, **i.model_dump()) for i in items]
    session.add_all(rows)
    await session.flush()
    return rows


async def supplier_items(session: AsyncSession, code: str) -> list[SupplierItem]:
    """The items a supplier sells."""
    await get_supplier(session, code)
    rows = await session.execute(
        select(SupplierItem).where(SupplierItem.supplier == code).order_by(SupplierItem.sku)
    )
    return list(rows.scalars())


async def create_carrier(session: AsyncSession, data: CarrierCreate) -> Carrier:
    """Add a carrier."""
    if await session.get(Carrier, data.code) is not None:
        raise AlreadyExists(f"A carrier with code '{data.code}' exists already.", code=data.code)
    carrier = Carrier(**data.model_dump(), created_at=utcnow())
    session.add(carrier)
    await session.flush()
    return carrier


async def list_carriers(session: AsyncSession, page: PageParams) -> tuple[list[Carrier], int]:
    """Carriers by code, one page, and how many there are."""
    return await fetch_page(session, select(Carrier), page, Carrier.code)


def _lines(lines: Sequence[OrderLineWrite]) -> list[PurchaseOrderLine]:
    skus = [line.sku for line in lines]
    if len(set(skus)) != len(skus):
        raise InvalidInput(
            "A sku appears twice.", duplicate_skus=sorted({s for s in skus if skus.count(s) > 1})
        )
    return [
        PurchaseOrderLine(
            line_no=n,
            sku=line.sku,
            quantity=line.quantity,
            unit_price=line.unit_price,
            received_quantity=0,
        )
        for n, line in enumerate(lines, start=1)
    ]


async def create_purchase_order(
    session: AsyncSession, data: PurchaseOrderCreate, origin: str | None = None
) -> PurchaseOrder:
    """Create a purchase order, placed (and announced) unless it is a draft."""
    await get_supplier(session, data.supplier)
    now = utcnow()
    order_id = new_id()
    order = PurchaseOrder(
        id=order_id,
        number=f"PO-{order_id[:8].upper()}",
        supplier=data.supplier,
        status="draft",
        expected_date=data.expected_date,
        origin=origin,
        version=1,
        created_at=now,
        updated_at=now,
        lines=_lines(data.lines),
    )
    session.add(order)
    await session.flush()
    if data.status == "placed":
        await _place(session, order)
    else:
        await announce_proposal(session, order)
    return order


async def get_purchase_order(
    session: AsyncSession, order_id: str, *, for_update: bool = False
) -> PurchaseOrder:
    """A purchase order by id, or NotFound."""
    return await get_one(
        session,
        PurchaseOrder,
        order_id,
        f"No purchase order '{order_id}'.",
        purchase_order_id=order_id,
        for_update=for_update,
    )


LIST_PURCHASE_ORDERS_DEFAULT = DatedListParams("-created_at")


async def list_purchase_orders(
    session: AsyncSession,
    page: PageParams,
    status: str | None = None,
    supplier: str | None = None,
    dated: DatedListParams = LIST_PURCHASE_ORDERS_DEFAULT,
) -> tuple[list[PurchaseOrder], int]:
    """Purchase orders matching the filters, newest first (or as sorted), one page."""
    query = dated.within(select(PurchaseOrder), PurchaseOrder.created_at)
    if status:
        query = query.where(PurchaseOrder.status == status)
    if supplier:
        query = query.where(PurchaseOrder.supplier == supplier)
    order = dated.order_by(
        {"created_at": PurchaseOrder.created_at, "expected_date": PurchaseOrder.expected_date}
    )
    return await fetch_page(session, query, page, *order, PurchaseOrder.id)


def _require(order: PurchaseOrder, allowed: Sequence[str], action: str) -> None:
    if order.status not in allowed:
        raise IllegalTransition(
            f"A {order.status} purchase order cannot be {action}.",
            current_status=order.status,
            allowed=list(allowed),
        )


async def update_purchase_order(
    session: AsyncSession, order_id: str, data: PurchaseOrderUpdate, if_match: str | None
) -> PurchaseOrder:
    """Edit a draft purchase order, if the caller saw the current version."""
    order = await get_purchase_order(session, order_id, for_update=True)
    check_if_match(if_match, order.version)
    _require(order, ["draft"], "edited")
    if data.lines is not None:
        order.lines.clear()
        await session.flush()
        order.lines.extend(_lines(data.lines))
    if "expected_date" in data.model_fields_set:
        order.expected_date = data.expected_date
    order.version += 1
    order.updated_at = utcnow()
    await session.flush()
    await announce_proposal(session, order)
    return order


async def _place(session: AsyncSession, order: PurchaseOrder) -> None:
    now = utcnow()
    order.status = "placed"
    order.placed_at = now
    order.updated_at = now
    order.version += 1
    await session.flush()
    event = PurchaseOrderPlaced(
        purchase_order_id=order.id,
        number=order.number,
        supplier=order.supplier,
        expected_date=order.expected_date,
        lines=[
            OrderedLine(sku=li.sku, quantity=li.quantity, unit_price=li.unit_price)
            for li in order.lines
        ],
    )
    await outbox.record(session, event, order.id)


async def announce_proposal(session: AsyncSession, order: PurchaseOrder) -> None:
    """Tell planners what a proposed draft holds now, so MRP counts it instead of proposing the
    same need again; a cancelled draft is announced with no lines."""
    if order.origin is None:
        return
    event = PurchaseOrderProposed(
        purchase_order_id=order.id,
        number=order.number,
        supplier=order.supplier,
        expected_date=order.expected_date,
        origin=order.origin,
        lines=[]
        if order.status == "cancelled"
        else [
            OrderedLine(sku=li.sku, quantity=li.quantity, unit_price=li.unit_price)
            for li in order.lines
        ],
    )
    await outbox.record(session, event, order.id)


async def place_purchase_order(
    session: AsyncSession, order_id: str, expected_date: date | None
) -> PurchaseOrder:
    """Send a draft purchase order to its supplier."""
    order = await get_purchase_order(session, order_id, for_update=True)
    _require(order, ["draft"], "placed")
    if expected_date is not None:
        order.expected_date = expected_date
    await _place(session, order)
    return order


async def cancel_purchase_order(
    session: AsyncSession, order_id: str, reason: str | None
) -> PurchaseOrder:
    """Cancel a purchase order nothing has been received on."""
    order = await get_purchase_order(session, order_id, for_update=True)
    _require(order, ["draft", "placed"], "cancelled")
    was_placed = order.status == "placed"
    order.status = "cancelled"
    order.version += 1
    order.updated_at = utcnow()
    await session.flush()
    if was_placed:
        event = PurchaseOrderCancelled(
            purchase_order_id=order.id, number=order.number, reason=reason
        )
        await outbox.record(session, event, order.id)
    else:
        await announce_proposal(session, order)
    return order


async def close_purchase_order(session: AsyncSession, order_id: str) -> PurchaseOrder:
    """Expect no more goods on a purchase order."""
    order = await get_purchase_order(session, order_id, for_update=True)
    _require(order, ["placed", "partially_received", "received"], "closed")
    order.status = "closed"
    order.version += 1
    order.updated_at = utcnow()
    await session.flush()
    await outbox.record(
        session, PurchaseOrderClosed(purchase_order_id=order.id, number=order.number), order.id
    )
    return order


async def receive(
    session: AsyncSession, order_id: str, data: ReceiveRequest
) -> tuple[Receipt, PurchaseOrder]:
    """Record goods that arrived, within the over-receipt tolerance; announces one receipt event."""
    order = await get_purchase_order(session, order_id, for_update=True)
    _require(order, OPEN_FOR_RECEIPT, "received")
    by_sku = {line.sku: line for line in order.lines}
    unknown = sorted({line.sku for line in data.lines if line.sku not in by_sku})
    if unknown:
        raise InvalidInput("These skus are not on the purchase order.", unknown_skus=unknown)
    arriving: dict[str, Decimal] = {}
    for line in data.lines:
        arriving[line.sku] = arriving.get(line.sku, Decimal(0)) + line.quantity
    limits = {
        sku: receivable(by_sku[sku].quantity, by_sku[sku].received_quantity) for sku in arriving
    }
    over = [
        {"sku": sku, "arriving": str(qty), "receivable": str(limits[sku])}
        for sku, qty in arriving.items()
        if qty > limits[sku]
    ]
    if over:
        raise InvalidInput(
            "More arrived than the order allows, beyond the tolerance.", over_receipts=over
        )
    now = utcnow()
    receipt = Receipt(
        id=new_id(),
        purchase_order_id=order.id,
        warehouse=data.warehouse,
        received_at=now,
        lines=[
            ReceiptLine(
                sku=line.sku,
                quantity=line.quantity,
                lot=line.lot,
                unit_price=by_sku[line.sku].unit_price,
            )
            for line in data.lines
        ],
    )
    session.add(receipt)
    for line in data.lines:
        by_sku[line.sku].received_quantity += line.quantity
    order.status = status_after_receipt((li.quantity, li.received_quantity) for li in order.lines)
    order.version += 1
    order.updated_at = now
    await session.flush()
    event = PurchaseOrderReceived(
        purchase_order_id=order.id,
        receipt_id=receipt.id,
        number=order.number,
        supplier=order.supplier,
        warehouse=receipt.warehouse,
        received_at=now,
        lines=[
            ReceivedLine(sku=li.sku, quantity=li.quantity, lot=li.lot, unit_price=li.unit_price)
            for li in receipt.lines
        ],
        status=order.status,
    )
    await outbox.record(session, event, order.id)
    return receipt, order


async def receipts_of(session: AsyncSession, order_id: str) -> list[Receipt]:
    """The receipts of a purchase order, oldest first."""
    await get_purchase_order(session, order_id)
    rows = await session.execute(
        select(Receipt).where(Receipt.purchase_order_id == order_id).order_by(Receipt.received_at)
    )
    return list(rows.scalars())
