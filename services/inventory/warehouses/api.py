"""HTTP routes of warehouses and their locations."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from services.inventory.warehouses import service
from services.inventory.warehouses.schemas import (
    LocationCreate,
    LocationRead,
    WarehouseCreate,
    WarehouseRead,
)
from shared.auth import require_scope
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep

router = APIRouter(prefix="/api/v1/warehouses", tags=["warehouses"])
READ = [require_scope("inventory:read")]
WRITE = [require_scope("inventory:write")]


@router.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=WarehouseRead
)
async def create_warehouse(
    data: WarehouseCreate, session: SessionDep, response: Response
) -> WarehouseRead:
    """Add a warehouse; 409 if the code exists. `MAIN` exists from first use."""
    warehouse = await service.create_warehouse(session, data)
    response.headers["Location"] = f"/api/v1/warehouses/{warehouse.code}"
    return WarehouseRead.model_validate(warehouse)


@router.get("", dependencies=READ, response_model=Page[WarehouseRead])
async def list_warehouses(session: ReadSessionDep, page: PageDep) -> Page[WarehouseRead]:
    """List warehouses by code, a page at a time."""
    warehouses, total = await service.list_warehouses(session, page)
    return Page.of([WarehouseRead.model_validate(w) for w in warehouses], total, page)


@router.get("/{code}", dependencies=READ, response_model=WarehouseRead)
async def get_warehouse(code: str, session: ReadSessionDep) -> WarehouseRead:
    """One warehouse; 404 if unknown."""
    return WarehouseRead.model_validate(await service.get_warehouse(session, code))


@router.post(
    "/{code}/locations",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    response_model=LocationRead,
)
async def create_location(code: str, data: LocationCreate, session: SessionDep) -> LocationRead:
    """Add a location (bin) to a warehouse; 404 if the warehouse is unknown, 409 if the code exists."""
    return LocationRead.model_validate(await service.create_location(session, code, data))


@router.get("/{code}/locations", dependencies=READ, response_model=list[LocationRead])
async def list_locations(code: str, session: ReadSessionDep) -> list[LocationRead]:
    """The locations of a warehouse."""
    return [LocationRead.model_validate(loc) for loc in await service.list_locations(session, code)]
