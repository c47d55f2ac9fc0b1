"""HTTP routes of the stock ledger."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from services.inventory.manufacturing.waiting import retry_waiting
from services.inventory.movements import service
from services.inventory.movements.models import Movement
from services.inventory.movements.schemas import (
    MovementCreate,
    MovementKind,
    MovementLineRead,
    MovementRead,
)
from shared.auth import CurrentPrincipal, require_scope
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep
from shared.queries import DatedListParams, dated_list_params

router = APIRouter(prefix="/api/v1/movements", tags=["movements"])
READ = [require_scope("inventory:read")]
WRITE = [require_scope("inventory:write")]


def movement_read(movement: Movement) -> MovementRead:
    """A stored movement as the API shows it."""
    return MovementRead(
        id=movement.id,
        kind=movement.kind,  # type: ignore[arg-type]
        sku=movement.sku,
        quantity=movement.quantity,
        warehouse=movement.warehouse,
        to_warehouse=movement.to_warehouse,
        location=movement.location,
        to_location=movement.to_location,
        lot=movement.lot,
        expires_on=movement.expires_on,
        unit_cost=movement.unit_cost,
        value=movement.value,
        reference=movement.reference,
        reason=movement.reason,
        recorded_by=movement.recorded_by,
        recorded_at=movement.recorded_at,
        lines=[
            MovementLineRead(
                warehouse=line.warehouse,
                location=line.location or None,
                lot=line.lot or None,
                quantity=line.quantity,
            )
            for line in movement.lines
        ],
    )


SERIAL_IN_USE_EXAMPLE = {
    "type": "urn:plantline:problem:serial-in-use",
    "title": "Serial in use",
    "status": 409,
    "detail": "Serial(s) SN-1001 of 'EBIKE' exist already.",
    "sku": "EBIKE",
    "serials": ["SN-1001"],
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    response_model=MovementRead,
    responses={
        409: {
            "description": "Beyond what is available (`insufficient-stock`); serial-tracked "
            "items: a serial received again (`serial-in-use`) or one taken that is not in stock "
            "there (`serial-not-in-stock`), named in `serials`.",
            "content": {"application/problem+json": {"example": SERIAL_IN_USE_EXAMPLE}},
        }
    },
)
async def record_movement(
    data: MovementCreate, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> MovementRead:
    """Record a receipt, issue, transfer, adjustment or scrap; the levels change in the same
    transaction. 409 `insufficient-stock` beyond what is available, 422 for an unknown sku or place.
    Serial-tracked items name one serial per unit (422 if the count or a whole quantity is wrong).
    Publishes `inventory.movement.recorded` and `inventory.stock.changed`; stock arriving reserves
    the released production orders that were waiting for it (`inventory.reservation.confirmed`)."""
    movement = await service.record_movement(session, data, principal.subject)
    if data.kind == "transfer" or service.is_inbound(data.kind, data.quantity):
        # Stock arrived somewhere: orders waiting for it are reserved now, oldest due first.
        await retry_waiting(session, [data.sku])
    response.headers["Location"] = f"/api/v1/movements/{movement.id}"
    return movement_read(movement)


@router.get("", dependencies=READ, response_model=Page[MovementRead])
async def list_movements(
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[
        DatedListParams, Depends(dated_list_params(["recorded_at"], "recorded_at", "recorded_at"))
    ],
    sku: Annotated[str | None, Query(max_length=64)] = None,
    reference: Annotated[str | None, Query(max_length=100)] = None,
    lot: Annotated[str | None, Query(max_length=64)] = None,
    kind: Annotated[MovementKind | None, Query()] = None,
    warehouse: Annotated[str | None, Query(max_length=32)] = None,
) -> Page[MovementRead]:
    """The ledger, oldest first (`sort=-recorded_at`: newest first), filtered by sku, reference,
    lot, kind, warehouse or a window of dates (`from`, `to`)."""
    movements, total = await service.list_movements(
        session,
        page,
        sku=sku,
        reference=reference,
        lot=lot,
        kind=kind,
        warehouse=warehouse,
        dated=dated,
    )
    return Page.of([movement_read(m) for m in movements], total, page)


@router.get("/{movement_id}", dependencies=READ, response_model=MovementRead)
async def get_movement(movement_id: str, session: ReadSessionDep) -> MovementRead:
    """One movement; 404 if unknown."""
    return movement_read(await service.get_movement(session, movement_id))
