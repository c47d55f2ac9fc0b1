"""Proposed purchase orders from reorder alerts and MRP buy lines, one draft per supplier."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.logistics.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    Supplier,
    SupplierItem,
)
from services.logistics.purchasing.schemas import OrderLineWrite, PurchaseOrderCreate
from services.logistics.purchasing.service import announce_proposal, create_purchase_order
from shared.db import utcnow

PROPOSAL = "replenishment"
log = logging.getLogger(__name__)


async def _source(session: AsyncSession, sku: str, supplier: str | None) -> SupplierItem | None:
    """The supplier item to buy a sku from: the one named, else the preferred, else the cheapest."""
    query = select(SupplierItem).where(SupplierItem.sku == sku)
    if supplier:
        named = (
            (await session.execute(query.where(SupplierItem.supplier == supplier)))
            .scalars()
            .first()
        )
        if named is not None:
            return named
    rows = await session.execute(
        query.order_by(
            SupplierItem.preferred.desc(), SupplierItem.unit_price, SupplierItem.supplier
        )
    )
    return rows.scalars().first()


async def propose(
    session: AsyncSession,
    sku: str,
    quantity: Decimal,
    due_date: date | None = None,
    supplier: str | None = None,
    *,
    adding: bool = False,
) -> PurchaseOrder | None:
    """Add a sku to the open proposal for its supplier (creating the draft if needed).

    A sku already proposed keeps the larger quantity, so a repeated alert never orders twice;
    `adding` (MRP's buy lines, which MRP plans net of the drafts it has been told of) adds the
    quantity to what the draft holds instead."""
    source = await _source(session, sku, supplier)
    if source is None:
        log.warning("No supplier sells %s; no purchase order proposed.", sku)
        return None
    quantity = max(quantity, source.minimum_quantity)
    seller = await session.get(Supplier, source.supplier)
    assert seller is not None
    expected = due_date or (utcnow() + timedelta(days=seller.lead_time_days)).date()
    draft = (
        (
            await session.execute(
                select(PurchaseOrder)
                .where(
                    PurchaseOrder.supplier == source.supplier,
                    PurchaseOrder.status == "draft",
                    PurchaseOrder.origin == PROPOSAL,
                )
                .order_by(PurchaseOrder.created_at)
                .with_for_update()
            )
        )
        .scalars()
        .first()
    )
    if draft is None:
        data = PurchaseOrderCreate(
            supplier=source.supplier,
            lines=[OrderLineWrite(sku=sku, quantity=quantity, unit_price=source.unit_price)],
            expected_date=expected,
            status="draft",
        )
        return await create_purchase_order(session, data, origin=PROPOSAL)
    line = next((li for li in draft.lines if li.sku == sku), None)
    if line is None:
        draft.lines.append(
            PurchaseOrderLine(
                line_no=len(draft.lines) + 1,
                sku=sku,
                quantity=quantity,
                unit_price=source.unit_price,
                received_quantity=Decimal(0),
            )
        )
    elif adding:
        line.quantity += quantity
    elif quantity > line.quantity:
        line.quantity = quantity
    else:
        return draft
    if draft.expected_date is None or expected < draft.expected_date:
        draft.expected_date = expected
    draft.version += 1
    draft.updated_at = utcnow()
    await session.flush()
    await announce_proposal(session, draft)
    return draft
