"""HTTP routes of received lines parked for an operator (their sku was unknown on arrival)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.inventory.movements.api import movement_read
from services.inventory.receiving import service
from services.inventory.receiving.models import ParkedReceiptLine
from services.inventory.receiving.schemas import (
    ParkedLineStatus,
    ParkedReceiptLineApplied,
    ParkedReceiptLineRead,
)
from shared.auth import CurrentPrincipal, require_scope
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep

router = APIRouter(prefix="/api/v1/parked-receipt-lines", tags=["receiving"])
READ = [require_scope("inventory:read")]
WRITE = [require_scope("inventory:write")]


def parked_line_read(line: ParkedReceiptLine) -> ParkedReceiptLineRead:
    """A stored parked line as the API shows it."""
    return ParkedReceiptLineRead(
        id=line.id,
        receipt_id=line.receipt_id,
        purchase_order_id=line.purchase_order_id,
        warehouse=line.warehouse,
        sku=line.sku,
        quantity=line.quantity,
        unit_price=line.unit_price,
        lot=line.lot,
        reason=line.reason,
        status=line.status,  # type: ignore[arg-type]
        parked_at=line.parked_at,
        applied_at=line.applied_at,
        applied_by=line.applied_by,
        movement_id=line.movement_id,
    )


@router.get("", dependencies=READ, response_model=Page[ParkedReceiptLineRead])
async def list_parked_lines(
    session: ReadSessionDep,
    page: PageDep,
    status: Annotated[ParkedLineStatus | None, Query()] = None,
    sku: Annotated[str | None, Query(max_length=64)] = None,
    receipt_id: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[ParkedReceiptLineRead]:
    """Received lines not booked on arrival because their sku was unknown, oldest first; filter
    by `status=parked` for those still waiting."""
    lines, total = await service.list_parked_lines(session, page, status, sku, receipt_id)
    return Page.of([parked_line_read(line) for line in lines], total, page)


@router.get("/{line_id}", dependencies=READ, response_model=ParkedReceiptLineRead)
async def get_parked_line(line_id: str, session: ReadSessionDep) -> ParkedReceiptLineRead:
    """One parked line; 404 if unknown."""
    return parked_line_read(await service.get_parked_line(session, line_id))


@router.post("/{line_id}/apply", dependencies=WRITE, response_model=ParkedReceiptLineApplied)
async def apply_parked_line(
    line_id: str, session: SessionDep, principal: CurrentPrincipal
) -> ParkedReceiptLineApplied:
    """Book a parked line as the receipt it was, once its item exists: 422 while the sku is
    still unknown, 409 if the line was applied already. Publishes `inventory.movement.recorded`."""
    line, movement = await service.apply_parked_line(session, line_id, principal.subject)
    return ParkedReceiptLineApplied(
        **parked_line_read(line).model_dump(), movement=movement_read(movement)
    )
