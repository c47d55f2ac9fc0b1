"""Keeping each product's latest routing steps, and reading the overlap a step allows."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.routings.models import RoutingStepView
from services.operations.routings.schemas import RoutingSeen


async def routing_published(session: AsyncSession, routing: RoutingSeen) -> bool:
    """Keep a product's routing steps unless a newer version is kept already; True if kept."""
    current = (
        await session.execute(
            select(RoutingStepView.version)
            .where(RoutingStepView.product_sku == routing.product_sku)
            .limit(1)
        )
    ).scalar_one_or_none()
    if current is not None and current > routing.version:
        return False
    await session.execute(
        delete(RoutingStepView).where(RoutingStepView.product_sku == routing.product_sku)
    )
    for step in routing.operations:
        session.add(
            RoutingStepView(
                product_sku=routing.product_sku,
                sequence=step.sequence,
                version=routing.version,
                work_center=step.work_center,
                overlap_quantity=step.overlap_quantity,
            )
        )
    await session.flush()
    return True


async def overlap_quantity(
    session: AsyncSession, product_sku: str, sequence: int
) -> Decimal | None:
    """From how many good units of the operation before this one may start (None: all of them)."""
    step = await session.get(RoutingStepView, (product_sku, sequence))
    return step.overlap_quantity if step is not None else None
