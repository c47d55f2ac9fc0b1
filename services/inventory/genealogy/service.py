"""Recording which lots an order consumed into its output, and loading the links to walk them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.database import outbox
from services.inventory.domain.genealogy import Edge, LotKey
from services.inventory.domain.stock import ZERO
from services.inventory.events import ConsumedLot, LotGenealogyRecorded
from services.inventory.genealogy.models import LotLink, ReceiptSource
from services.inventory.movements.models import Movement
from shared.db import utcnow
from shared.upsert import insert_if_absent

Direction = Literal["up", "down"]
# Lots per query when loading a level of the walk; keeps the statement's parameters bounded.
CHUNK = 200


def consumed_lots(issued: Iterable[Movement]) -> list[ConsumedLot]:
    """The lots issue movements took, summed per sku and lot; stock with no lot is left out."""
    taken: dict[LotKey, Decimal] = defaultdict(lambda: ZERO)
    for movement in issued:
        for line in movement.lines:
            if line.lot and line.quantity < ZERO:
                taken[LotKey(line.sku, line.lot)] -= line.quantity
    return [ConsumedLot(sku=k.sku, lot=k.lot, quantity=q) for k, q in sorted(taken.items())]


async def record_genealogy(
    session: AsyncSession,
    reference: str,
    output: LotKey,
    quantity: Decimal,
    issued: Sequence[Movement],
) -> None:
    """Link the output lot to the component lots the order's issues took, and announce it."""
    components = consumed_lots(issued)
    if not output.lot or not components:
        return
    now = utcnow()
    session.add_all(
        LotLink(
            reference=reference,
            output_sku=output.sku,
            output_lot=output.lot,
            output_quantity=quantity,
            component_sku=c.sku,
            component_lot=c.lot,
            component_quantity=c.quantity,
            recorded_at=now,
        )
        for c in components
    )
    await session.flush()
    await outbox.record(
        session,
        LotGenealogyRecorded(
            reference=reference,
            sku=output.sku,
            lot=output.lot,
            quantity=quantity,
            components=components,
        ),
        f"{output.sku}:{output.lot}",
    )


async def record_receipt_source(
    session: AsyncSession,
    receipt_id: str,
    purchase_order_id: str,
    number: str | None,
    supplier: str | None,
    received_at: datetime | None,
) -> None:
    """Remember which purchase order and supplier a receipt's goods came from, once."""
    await insert_if_absent(
        session,
        ReceiptSource.__table__,  # type: ignore[arg-type]
        {
            "receipt_id": receipt_id,
            "purchase_order_id": purchase_order_id,
            "purchase_order_number": number,
            "supplier": supplier,
            "received_at": received_at,
        },
    )


async def load_edges(
    session: AsyncSession, root: LotKey, direction: Direction, max_depth: int
) -> dict[LotKey, list[Edge]]:
    """The links around `root`, level by level up to `max_depth`: `down` from a made lot to its
    components, `up` from a component lot to what was made of it."""
    if direction == "down":
        from_sku, from_lot = LotLink.output_sku, LotLink.output_lot
    else:
        from_sku, from_lot = LotLink.component_sku, LotLink.component_lot
    edges: dict[LotKey, list[Edge]] = {}
    seen = {root}
    frontier = [root]
    for _ in range(max_depth + 1):
        if not frontier:
            break
        found: list[LotKey] = []
        for start in range(0, len(frontier), CHUNK):
            chunk = frontier[start : start + CHUNK]
            rows = await session.execute(
                select(LotLink)
                .where(or_(*(and_(from_sku == k.sku, from_lot == k.lot) for k in chunk)))
                .order_by(LotLink.id)
            )
            for link in rows.scalars():
                if direction == "down":
                    here = LotKey(link.output_sku, link.output_lot)
                    there = LotKey(link.component_sku, link.component_lot)
                    quantity = link.component_quantity
                else:
                    here = LotKey(link.component_sku, link.component_lot)
                    there = LotKey(link.output_sku, link.output_lot)
                    quantity = link.output_quantity
                edges.setdefault(here, []).append(Edge(there, quantity, link.reference))
                if there not in seen:
                    seen.add(there)
                    found.append(there)
        frontier = found
    return edges


async def receipt_sources(
    session: AsyncSession, receipt_ids: Iterable[str]
) -> dict[str, ReceiptSource]:
    """The purchase sources of the receipts named, by receipt id."""
    ids = sorted(set(receipt_ids))
    if not ids:
        return {}
    rows = await session.execute(select(ReceiptSource).where(ReceiptSource.receipt_id.in_(ids)))
    return {source.receipt_id: source for source in rows.scalars()}
