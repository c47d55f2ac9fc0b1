"""Use cases of routings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.boms.service import refuse_unknown_skus, today
from services.production.catalog.models import KnownWorkCenter
from services.production.database import outbox
from services.production.events import RoutingPublished, RoutingStep
from services.production.routings.models import Routing, RoutingOperation
from services.production.routings.schemas import RoutingCreate
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import InvalidInput, NotFound
from shared.queries import fetch_page, get_one, refuse_unknown_codes


async def create_routing(session: AsyncSession, data: RoutingCreate) -> Routing:
    """Store a new version of a product's routing on known work centers, and publish it."""
    sequences = [op.sequence for op in data.operations]
    repeated = sorted({s for s in sequences if sequences.count(s) > 1})
    if repeated:
        raise InvalidInput(
            f"Operation sequence(s) used twice: {', '.join(map(str, repeated))}.",
            duplicate_sequences=repeated,
        )
    await refuse_unknown_skus(session, [data.product_sku])
    await refuse_unknown_codes(
        session,
        KnownWorkCenter.code,
        [op.work_center for op in data.operations],
        "work center",
        "unknown_work_centers",
    )
    latest = await session.execute(
        select(func.max(Routing.version)).where(Routing.product_sku == data.product_sku)
    )
    routing = Routing(
        id=new_id(),
        product_sku=data.product_sku,
        version=(latest.scalar() or 0) + 1,
        effective_from=data.effective_from or today(),
        created_at=utcnow(),
        operations=[
            RoutingOperation(**op.model_dump())
            for op in sorted(data.operations, key=lambda o: o.sequence)
        ],
    )
    session.add(routing)
    await session.flush()
    await outbox.record(
        session,
        RoutingPublished(
            routing_id=routing.id,
            product_sku=routing.product_sku,
            version=routing.version,
            effective_from=routing.effective_from,
            operations=[
                RoutingStep(
                    sequence=op.sequence,
                    work_center=op.work_center,
                    setup_minutes=op.setup_minutes,
                    run_minutes_per_unit=op.run_minutes_per_unit,
                    overlap_quantity=op.overlap_quantity,
                )
                for op in routing.operations
            ],
        ),
        routing.id,
    )
    return routing


async def get_routing(session: AsyncSession, routing_id: str) -> Routing:
    """A routing by id, or NotFound."""
    return await get_one(
        session, Routing, routing_id, f"No routing with id '{routing_id}'.", routing_id=routing_id
    )


async def list_routings(
    session: AsyncSession, page: PageParams, product_sku: str | None = None
) -> tuple[list[Routing], int]:
    """Routings by product and version (newest version first), one page, and how many match."""
    query = select(Routing)
    if product_sku:
        query = query.where(Routing.product_sku == product_sku)
    return await fetch_page(session, query, page, Routing.product_sku, Routing.version.desc())


async def effective_routing(
    session: AsyncSession, product_sku: str, on: date | None = None
) -> Routing | None:
    """The version of a product's routing that applies on a date (default today), if any."""
    row = await session.execute(
        select(Routing)
        .where(Routing.product_sku == product_sku, Routing.effective_from <= (on or today()))
        .order_by(Routing.version.desc())
        .limit(1)
    )
    return row.scalar_one_or_none()


async def get_effective_routing(
    session: AsyncSession, product_sku: str, on: date | None = None
) -> Routing:
    """The routing that applies to a product on a date, or NotFound."""
    routing = await effective_routing(session, product_sku, on)
    if routing is None:
        raise NotFound(f"{product_sku} has no effective routing.", product_sku=product_sku)
    return routing
