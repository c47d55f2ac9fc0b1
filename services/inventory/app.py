"""The inventory service: items, warehouses, the stock ledger, reservations, lots and holds."""

from __future__ import annotations

from fastapi import FastAPI

from services.inventory.counts.api import router as counts_router
from services.inventory.database import Base, outbox
from services.inventory.events import catalog
from services.inventory.handlers import handlers
from services.inventory.holds.api import router as holds_router
from services.inventory.items.api import router as items_router
from services.inventory.lots.api import router as lots_router
from services.inventory.movements.api import router as movements_router
from services.inventory.receiving.api import router as receiving_router
from services.inventory.reports.api import router as reports_router
from services.inventory.reservations.api import router as reservations_router
from services.inventory.serials.api import router as serials_router
from services.inventory.stock.api import router as stock_router
from services.inventory.warehouses.api import router as warehouses_router
from shared.service_app import ServiceDefinition, create_service_app
from shared.settings import Settings

definition = ServiceDefinition(
    name="inventory",
    title="Plantline Inventory",
    description="System of record for stock: items, warehouses, the stock ledger, reservations, "
    "lots, holds, valuation and reorder alerts. Authorize with a bearer token "
    "(`make token`).",
    metadata=Base.metadata,
    outbox=outbox,
    routers=[
        items_router,
        warehouses_router,
        movements_router,
        stock_router,
        reservations_router,
        holds_router,
        counts_router,
        lots_router,
        serials_router,
        reports_router,
        receiving_router,
    ],
    catalog=catalog,
    handlers=handlers,
    tags=[
        {"name": "items", "description": "The SKU master."},
        {"name": "warehouses", "description": "Warehouses and their locations (bins)."},
        {"name": "movements", "description": "The immutable stock ledger."},
        {"name": "stock", "description": "Stock levels and valuation, kept from the ledger."},
        {"name": "reservations", "description": "Stock set aside for orders, all or nothing."},
        {"name": "holds", "description": "Lots kept from use until released or scrapped."},
        {
            "name": "receiving",
            "description": "Received lines kept for an operator because their sku was unknown.",
        },
    ],
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the inventory application."""
    return create_service_app(definition, settings)
