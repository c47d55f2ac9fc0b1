"""Use cases of planning parameters: set, read, list, and apply them to MRP's items."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.boms.service import refuse_unknown_skus
from services.production.catalog.models import KnownItem
from services.production.domain.mrp.model import LOT_FOR_LOT, ItemKind, LotSizing, PlanItem
from services.production.planning.models import PlanningParameters
from services.production.planning.schemas import PlanningParametersWrite
from shared.db import utcnow
from shared.dependencies import PageParams
from shared.queries import fetch_page, get_one


async def set_parameters(
    session: AsyncSession, sku: str, data: PlanningParametersWrite
) -> tuple[PlanningParameters, bool]:
    """Store an item's planning parameters, replacing any; True if they are new."""
    await refuse_unknown_skus(session, [sku])
    now = utcnow()
    row = await session.get(PlanningParameters, sku, with_for_update=True)
    created = row is None
    if row is None:
        row = PlanningParameters(sku=sku, version=0, created_at=now)
        session.add(row)
    for field, value in data.model_dump().items():
        setattr(row, field, value)
    row.version += 1
    row.updated_at = now
    await session.flush()
    return row, created


async def get_parameters(session: AsyncSession, sku: str) -> PlanningParameters:
    """An item's planning parameters, or NotFound."""
    return await get_one(
        session, PlanningParameters, sku, f"No planning parameters for '{sku}'.", sku=sku
    )


async def list_parameters(
    session: AsyncSession, page: PageParams
) -> tuple[list[PlanningParameters], int]:
    """Planning parameters by sku, one page, and how many there are."""
    return await fetch_page(session, select(PlanningParameters), page, PlanningParameters.sku)


async def all_parameters(session: AsyncSession) -> dict[str, PlanningParameters]:
    """Every item's planning parameters, by sku."""
    rows = await session.execute(select(PlanningParameters))
    return {row.sku: row for row in rows.scalars()}


def lot_sizing(row: PlanningParameters | None) -> LotSizing:
    """The engine's lot-sizing rule for stored parameters (lot-for-lot when there are none)."""
    if row is None or row.lot_sizing == "lot_for_lot":
        return LOT_FOR_LOT
    if row.lot_sizing == "fixed":
        return LotSizing.fixed(row.fixed_quantity or 0)
    return LotSizing.min_multiple(row.minimum_quantity or 0, row.multiple or 0)


def plan_item(item: KnownItem, has_bom: bool, row: PlanningParameters | None) -> PlanItem:
    """How MRP sees an item: its parameters, falling back to inventory's lead time and the BOM."""
    procurement = row.procurement if row is not None else "auto"
    kind: ItemKind = (
        "make" if procurement == "make" or (procurement == "auto" and has_bom) else "buy"
    )
    lead_time = item.lead_time_days
    if row is not None and row.lead_time_days is not None:
        lead_time = row.lead_time_days
    return PlanItem(
        sku=item.sku,
        kind=kind,
        lead_time_days=lead_time,
        safety_stock=item.safety_stock,
        lot=lot_sizing(row),
    )
