"""HTTP routes of cycle counts."""

from __future__ import annotations

from fastapi import APIRouter, status

from services.inventory.counts import service
from services.inventory.counts.schemas import CycleCountCreate, CycleCountRead
from services.inventory.movements.api import movement_read
from shared.auth import CurrentPrincipal, require_scope
from shared.dependencies import SessionDep

router = APIRouter(prefix="/api/v1/cycle-counts", tags=["movements"])
WRITE = [require_scope("inventory:write")]


@router.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=CycleCountRead
)
async def record_count(
    data: CycleCountCreate, session: SessionDep, principal: CurrentPrincipal
) -> CycleCountRead:
    """Record what was counted at one place and lot; a difference is booked as an adjustment with
    the reason given. 409 if the count is below what is reserved or held there."""
    on_book, movement = await service.record_count(session, data, principal.subject)
    return CycleCountRead(
        sku=data.sku,
        warehouse=data.warehouse,
        location=data.location,
        lot=data.lot,
        book_quantity=on_book,
        counted_quantity=data.counted_quantity,
        difference=data.counted_quantity - on_book,
        movement=movement_read(movement) if movement is not None else None,
    )
