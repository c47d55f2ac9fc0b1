"""Use cases of bills of materials."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.boms.models import Bom, BomComponent
from services.production.boms.schemas import BomCreate
from services.production.catalog.models import KnownItem
from services.production.database import outbox
from services.production.events import BomLine, BomPublished
from shared.db import new_id, utcnow
from shared.errors import InvalidInput, NotFound


async def unknown_skus(session: AsyncSession, skus: list[str]) -> list[str]:
    """The skus production has never heard of from inventory."""
    known = set((await session.execute(select(KnownItem.sku).where(KnownItem.sku.in_(skus)))).scalars())
    return sorted(set(skus) - known)


async def create_bom(session: AsyncSession, data: BomCreate) -> Bom:
    """Store a BOM whose product and components are all known items, and publish it."""
    skus = [data.product_sku] + [line.sku for line in data.components]
    unknown = await unknown_skus(session, skus)
    if unknown:
        raise InvalidInput(f"Unknown sku(s): {', '.join(unknown)}.", unknown_skus=unknown)
    if data.product_sku in {line.sku for line in data.components}:
        raise InvalidInput(f"{data.product_sku} cannot be a component of itself.")
    latest = await session.execute(select(func.max(Bom.version)).where(Bom.product_sku == data.product_sku))
    bom = Bom(
        id=new_id(),
        product_sku=data.product_sku,
        version=(latest.scalar() or 0) + 1,
        output_quantity=data.output_quantity,
        created_at=utcnow(),
        components=[
            BomComponent(position=n, sku=line.sku, quantity=line.quantity)
            for n, line in enumerate(data.components)
        ],
    )
    session.add(bom)
    await session.flush()
    await outbox.record(
        session,
        BomPublished(
            bom_id=bom.id,
            product_sku=bom.product_sku,
            version=bom.version,
            output_quantity=bom.output_quantity,
            components=[BomLine(sku=c.sku, quantity=c.quantity) for c in bom.components],
        ),
        bom.id,
    )
    return bom


async def get_bom(session: AsyncSession, bom_id: str) -> Bom:
    """A BOM by id, or NotFound."""
    bom = await session.get(Bom, bom_id)
    if bom is None:
        raise NotFound(f"No BOM with id '{bom_id}'.")
    return bom
