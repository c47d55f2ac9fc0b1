"""HTTP routes of holds on lots."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from services.inventory.holds import service
from services.inventory.holds.models import Hold
from services.inventory.holds.schemas import (
    HeldStock,
    HoldCreate,
    HoldRead,
    HoldScrapped,
    HoldStatus,
)
from services.inventory.movements.api import movement_read
from shared.auth import CurrentPrincipal, require_scope
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep
from shared.queries import DatedListParams, dated_list_params

router = APIRouter(prefix="/api/v1/holds", tags=["holds"])
READ = [require_scope("inventory:read")]
WRITE = [require_scope("inventory:write")]


def hold_read(hold: Hold) -> HoldRead:
    """A stored hold as the API shows it."""
    return HoldRead(
        id=hold.id,
        sku=hold.sku,
        lot=hold.lot,
        status=hold.status,  # type: ignore[arg-type]
        reason=hold.reason,
        quantity=hold.quantity,
        held=[
            HeldStock(warehouse=a.warehouse, location=a.location or None, quantity=a.quantity)
            for a in hold.allocations
        ],
        created_at=hold.created_at,
        updated_at=hold.updated_at,
    )


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=HoldRead)
async def hold_lot(data: HoldCreate, session: SessionDep, response: Response) -> HoldRead:
    """Put a lot on hold: what is available of it, and whatever arrives into it later, cannot be
    reserved or issued. 404 if no stock of the lot was ever booked (unless `before_receipt`), 409
    if it is on hold already. Publishes `inventory.lot.held`."""
    if not data.before_receipt:
        await service.require_known_lot(session, data.sku, data.lot)
    hold = await service.hold_lot(session, data.sku, data.lot, data.reason)
    response.headers["Location"] = f"/api/v1/holds/{hold.id}"
    return hold_read(hold)


HOLD_LIST = dated_list_params(["created_at"], "created_at", "created_at")


@router.get("", dependencies=READ, response_model=Page[HoldRead])
async def list_holds(
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[DatedListParams, Depends(HOLD_LIST)],
    sku: Annotated[str | None, Query(max_length=64)] = None,
    lot: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[HoldStatus | None, Query()] = None,
) -> Page[HoldRead]:
    """Holds, oldest first, by sku, lot or status."""
    holds, total = await service.list_holds(session, page, sku, lot, status, dated)
    return Page.of([hold_read(h) for h in holds], total, page)


@router.get("/{hold_id}", dependencies=READ, response_model=HoldRead)
async def get_hold(hold_id: str, session: ReadSessionDep) -> HoldRead:
    """One hold; 404 if unknown."""
    return hold_read(await service.get_hold(session, hold_id))


@router.post("/{hold_id}/release", dependencies=WRITE, response_model=HoldRead)
async def release_hold(hold_id: str, session: SessionDep) -> HoldRead:
    """Make the lot available again; 409 unless active. Publishes `inventory.lot.released`."""
    return hold_read(await service.release_hold(session, hold_id))


@router.post("/{hold_id}/scrap", dependencies=WRITE, response_model=HoldScrapped)
async def scrap_hold(
    hold_id: str, session: SessionDep, principal: CurrentPrincipal
) -> HoldScrapped:
    """Scrap the held stock (scrap movements); 409 unless active. Publishes `inventory.lot.scrapped`."""
    hold, movements = await service.scrap_hold(session, hold_id, principal.subject)
    return HoldScrapped(
        **hold_read(hold).model_dump(), movements=[movement_read(m) for m in movements]
    )
