"""Use cases of warehouses and locations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.warehouses.models import Location, Warehouse
from services.inventory.warehouses.schemas import LocationCreate, WarehouseCreate
from shared.db import utcnow
from shared.dependencies import PageParams
from shared.errors import AlreadyExists, InvalidInput, NotFound
from shared.queries import fetch_page, get_by_code

DEFAULT_WAREHOUSE = "MAIN"


async def create_warehouse(session: AsyncSession, data: WarehouseCreate) -> Warehouse:
    """Add a warehouse; AlreadyExists if the code is taken."""
    if await session.get(Warehouse, data.code) is not None:
        raise AlreadyExists(f"A warehouse '{data.code}' exists already.", code=data.code)
    warehouse = Warehouse(code=data.code, name=data.name, created_at=utcnow())
    session.add(warehouse)
    await session.flush()
    return warehouse


async def get_warehouse(session: AsyncSession, code: str) -> Warehouse:
    """A warehouse by code, or NotFound (the default one, MAIN, is created by the migrations)."""
    return await get_by_code(session, Warehouse, code, "warehouse", warehouse=code)


async def require_place(session: AsyncSession, warehouse: str, location: str | None) -> None:
    """InvalidInput unless the warehouse (and the location in it, if named) exists."""
    try:
        await get_warehouse(session, warehouse)
    except NotFound as exc:
        raise InvalidInput(exc.detail, **exc.extensions) from exc
    if location and await session.get(Location, (warehouse, location)) is None:
        raise InvalidInput(
            f"No location '{location}' in warehouse '{warehouse}'.",
            warehouse=warehouse,
            location=location,
        )


def places_exist(places: Iterable[tuple[Any, Any]]) -> ColumnElement[bool]:
    """SQL that is true if every (warehouse, location or None) exists, values or parameters, to
    ask along with other things; `require_place` then tells which one does not."""
    checks: list[ColumnElement[bool]] = []
    for warehouse, location in places:
        checks.append(exists().where(Warehouse.code == warehouse))
        if location is not None:
            checks.append(
                exists().where(Location.warehouse == warehouse, Location.code == location)
            )
    return and_(true(), *checks)


async def list_warehouses(session: AsyncSession, page: PageParams) -> tuple[list[Warehouse], int]:
    """Warehouses by code, one page."""
    return await fetch_page(session, select(Warehouse), page, Warehouse.code)


async def create_location(session: AsyncSession, warehouse: str, data: LocationCreate) -> Location:
    """Add a location to a warehouse; AlreadyExists if its code is taken there."""
    await get_warehouse(session, warehouse)
    if await session.get(Location, (warehouse, data.code)) is not None:
        raise AlreadyExists(
            f"Warehouse '{warehouse}' has a location '{data.code}' already.",
            warehouse=warehouse,
            code=data.code,
        )
    location = Location(warehouse=warehouse, code=data.code, name=data.name, created_at=utcnow())
    session.add(location)
    await session.flush()
    return location


async def list_locations(session: AsyncSession, warehouse: str) -> list[Location]:
    """The locations of a warehouse, by code."""
    await get_warehouse(session, warehouse)
    rows = await session.execute(
        select(Location).where(Location.warehouse == warehouse).order_by(Location.code)
    )
    return list(rows.scalars())
