"""HTTP routes of reservations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response, status
from fastapi.responses import JSONResponse

from services.inventory.movements.api import movement_read
from services.inventory.reservations import service
from services.inventory.reservations.models import Reservation
from services.inventory.reservations.schemas import (
    AllocationRead,
    ReservationCreate,
    ReservationIssue,
    ReservationIssued,
    ReservationLineRead,
    ReservationRead,
    ReservationStatus,
)
from shared.auth import CurrentPrincipal, require_scope
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep
from shared.errors import InsufficientStock, InvalidInput, problem_response
from shared.queries import DatedListParams, dated_list_params

router = APIRouter(prefix="/api/v1/reservations", tags=["reservations"])
READ = [require_scope("inventory:read")]
WRITE = [require_scope("inventory:write")]

SHORTAGE_EXAMPLE: dict[str, Any] = {
    "type": "urn:plantline:problem:insufficient-stock",
    "title": "Insufficient stock",
    "status": 409,
    "detail": "Not enough stock for 1 of 2 lines; nothing was reserved.",
    "shortages": [{"sku": "FRAME-54", "requested": "10", "available": "4"}],
}


def reservation_read(reservation: Reservation) -> ReservationRead:
    """A stored reservation as the API shows it."""
    return ReservationRead(
        id=reservation.id,
        status=reservation.status,  # type: ignore[arg-type]
        reference=reservation.reference,
        lines=[ReservationLineRead.model_validate(li) for li in reservation.lines],
        allocations=[
            AllocationRead(
                sku=a.sku,
                warehouse=a.warehouse,
                location=a.location or None,
                lot=a.lot or None,
                quantity=a.quantity,
            )
            for a in reservation.allocations
        ],
        created_at=reservation.created_at,
        updated_at=reservation.updated_at,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    response_model=ReservationRead,
    responses={
        409: {
            "description": "Not enough available stock; `shortages` lists the lines short.",
            "content": {"application/problem+json": {"example": SHORTAGE_EXAMPLE}},
        }
    },
)
async def create_reservation(
    data: ReservationCreate, session: SessionDep, request: Request, response: Response
) -> ReservationRead | JSONResponse:
    """Reserve every line or nothing. 409 `insufficient-stock` with `shortages` (and
    `inventory.reservation.rejected`), else `inventory.reservation.confirmed`."""
    outcome = await service.reserve(session, data)
    if isinstance(outcome, service.Rejection):
        # Returned, not raised: the transaction commits so the rejection is announced.
        problem = InsufficientStock(
            f"Not enough stock for {len(outcome.shortages)} of {len(data.lines)} lines; "
            "nothing was reserved.",
            reference=outcome.reference,
            shortages=[s.model_dump(mode="json") for s in outcome.shortages],
        )
        return problem_response(problem, request.url.path)
    response.headers["Location"] = f"/api/v1/reservations/{outcome.id}"
    return reservation_read(outcome)


RESERVATION_LIST = dated_list_params(["created_at"], "created_at", "created_at")


@router.get("", dependencies=READ, response_model=Page[ReservationRead])
async def list_reservations(
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[DatedListParams, Depends(RESERVATION_LIST)],
    reference: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[ReservationStatus | None, Query()] = None,
) -> Page[ReservationRead]:
    """Reservations, oldest first, by reference or status."""
    found, total = await service.list_reservations(session, page, reference, status, dated)
    return Page.of([reservation_read(r) for r in found], total, page)


@router.get("/{reservation_id}", dependencies=READ, response_model=ReservationRead)
async def get_reservation(reservation_id: str, session: ReadSessionDep) -> ReservationRead:
    """One reservation; 404 if unknown."""
    return reservation_read(await service.get_reservation(session, reservation_id))


@router.post("/{reservation_id}/release", dependencies=WRITE, response_model=ReservationRead)
async def release_reservation(reservation_id: str, session: SessionDep) -> ReservationRead:
    """Give the stock back (status `released`); 409 if it was issued. Publishes
    `inventory.reservation.released`."""
    return reservation_read(await service.release(session, reservation_id))


@router.post("/{reservation_id}/issue", dependencies=WRITE, response_model=ReservationIssued)
async def issue_reservation(
    reservation_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    data: Annotated[ReservationIssue | None, Body()] = None,
) -> ReservationIssued:
    """Issue the reserved stock as issue movements referencing the reservation's reference
    (status `consumed`); 409 unless confirmed. Serial-tracked skus take the serials named (one
    per reserved unit, 422 otherwise; 409 `serial-not-in-stock` for one not where the reservation
    holds its units), else the oldest. Send an Idempotency-Key to retry safely."""
    named: dict[str, list[str]] = {}
    for line in data.serials if data is not None else []:
        if line.sku in named:
            raise InvalidInput(f"Serials of '{line.sku}' named twice.", sku=line.sku)
        named[line.sku] = line.serials
    reservation, movements = await service.issue(session, reservation_id, principal.subject, named)
    return ReservationIssued(
        **reservation_read(reservation).model_dump(),
        movements=[movement_read(m) for m in movements],
    )
