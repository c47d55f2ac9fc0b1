"""HTTP routes of lots."""

from __future__ import annotations

from fastapi import APIRouter

from services.inventory.domain.stock import ZERO, available
from services.inventory.holds.api import hold_read
from services.inventory.lots import service
from services.inventory.lots.schemas import LotTrace
from services.inventory.movements.api import movement_read
from services.inventory.stock.schemas import LevelRead
from shared.auth import require_scope
from shared.dependencies import ReadSessionDep

router = APIRouter(prefix="/api/v1/lots", tags=["stock"])
READ = [require_scope("inventory:read")]


@router.get("/{sku}/{lot}/trace", dependencies=READ, response_model=LotTrace)
async def trace_lot(sku: str, lot: str, session: ReadSessionDep) -> LotTrace:
    """Where a lot came from (receipts and their references), where it went (issues, scrap,
    transfers), where it is now and its holds; 404 if the ledger never saw it."""
    trace = await service.trace_lot(session, sku, lot)
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
    )
