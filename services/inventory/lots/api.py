"""HTTP routes of lots."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.inventory.domain.genealogy import MAX_DEPTH, LotKey, Node, flatten
from services.inventory.domain.stock import ZERO, available
from services.inventory.genealogy.models import ReceiptSource
from services.inventory.holds.api import hold_read
from services.inventory.lots import service
from services.inventory.lots.schemas import (
    Direction,
    LotTrace,
    TracedMovement,
    TraceEntry,
    TraceNode,
)
from services.inventory.movements.api import movement_read
from services.inventory.movements.models import Movement
from services.inventory.stock.schemas import LevelRead
from shared.auth import require_scope
from shared.dependencies import ReadSessionDep

router = APIRouter(prefix="/api/v1/lots", tags=["stock"])
READ = [require_scope("inventory:read")]


def _traced(
    key: LotKey, movements: list[Movement], sources: dict[str, ReceiptSource]
) -> list[TracedMovement]:
    traced = []
    for m in movements:
        source = sources.get(m.reference or "") if m.kind == "receipt" else None
        moved = sum(
            (abs(line.quantity) for line in m.lines if (line.sku, line.lot) == (key.sku, key.lot)),
            ZERO,
        )
        traced.append(
            TracedMovement(
                id=m.id,
                kind=m.kind,  # type: ignore[arg-type]
                quantity=moved,
                warehouse=m.warehouse,
                reference=m.reference,
                recorded_at=m.recorded_at,
                purchase_order_id=source.purchase_order_id if source else None,
                purchase_order_number=source.purchase_order_number if source else None,
                supplier=source.supplier if source else None,
                received_at=source.received_at if source else None,
            )
        )
    return traced


def _tree(node: Node, movements: dict[LotKey, list[TracedMovement]]) -> TraceNode:
    return TraceNode(
        sku=node.key.sku,
        lot=node.key.lot,
        quantity=node.quantity,
        reference=node.reference,
        depth=node.depth,
        movements=movements.get(node.key, []),
        cycle=node.cycle,
        truncated=node.truncated,
        children=[_tree(child, movements) for child in node.children],
    )


@router.get(
    "/{sku}/{lot}/trace",
    dependencies=READ,
    response_model=LotTrace,
    responses={404: {"description": "The ledger never saw the lot (`not-found` problem)."}},
)
async def trace_lot(
    sku: str,
    lot: str,
    session: ReadSessionDep,
    direction: Annotated[
        Direction,
        Query(
            description="down: the component lots that went into it, down to the supplier "
            "receipts; up: the lots made from it, up to the deliveries."
        ),
    ] = "down",
    depth: Annotated[
        int, Query(ge=1, le=MAX_DEPTH, description="How many levels to walk at most.")
    ] = MAX_DEPTH,
) -> LotTrace:
    """Where a lot came from (receipts and their references), where it went (issues, scrap,
    transfers), where it is now and its holds, and its genealogy across levels one way, as a
    tree and as a flat list; 404 if the ledger never saw it."""
    trace = await service.trace_lot(session, sku, lot)
    root, lot_movements, sources = await service.genealogy(session, trace, direction, depth)
    traced = {key: _traced(key, found, sources) for key, found in lot_movements.items()}
    references = []
    for movement in trace.movements:
        if movement.reference and movement.reference not in references:
            references.append(movement.reference)
    return LotTrace(
        sku=trace.sku,
        lot=trace.lot,
        received=trace.received,
        issued=trace.issued,
        on_hand=sum((lv.on_hand for lv in trace.levels), ZERO),
        references=references,
        levels=[
            LevelRead(
                warehouse=lv.warehouse,
                location=lv.location or None,
                lot=lv.lot or None,
                expires_on=lv.expires_on,
                on_hand=lv.on_hand,
                reserved=lv.reserved,
                on_hold=lv.on_hold,
                available=available(lv.on_hand, lv.reserved, lv.on_hold),
            )
            for lv in trace.levels
        ],
        movements=[movement_read(m) for m in trace.movements],
        holds=[hold_read(h) for h in trace.holds],
        direction=direction,
        tree=_tree(root, traced),
        nodes=[
            TraceEntry(
                sku=node.key.sku,
                lot=node.key.lot,
                quantity=node.quantity,
                depth=node.depth,
                reference=node.reference,
                parent_sku=parent.key.sku if parent else None,
                parent_lot=parent.key.lot if parent else None,
                movements=traced.get(node.key, []),
            )
            for node, parent in flatten(root)
        ],
    )
