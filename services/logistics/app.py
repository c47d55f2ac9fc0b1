"""The logistics service: suppliers, purchase orders, receipts, delivery orders, shipments."""

from __future__ import annotations

from fastapi import FastAPI

from services.logistics.database import Base, outbox
from services.logistics.deliveries import api as deliveries
from services.logistics.events import catalog
from services.logistics.handlers import handlers
from services.logistics.performance import api as performance
from services.logistics.purchasing import api as purchasing
from shared.service_app import ServiceDefinition, create_service_app
from shared.settings import Settings

definition = ServiceDefinition(
    name="logistics",
    title="Plantline Logistics",
    description="Supply in, goods out: suppliers, purchase orders and receipts, delivery orders "
    "and shipments. Authorize with a bearer token (`make token`).",
    metadata=Base.metadata,
    outbox=outbox,
    routers=[
        purchasing.suppliers,
        purchasing.carriers,
        purchasing.purchase_orders,
        deliveries.delivery_orders,
        deliveries.shipments,
        performance.router,
    ],
    catalog=catalog,
    handlers=handlers,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the logistics application."""
    return create_service_app(definition, settings)
