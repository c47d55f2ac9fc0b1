"""The production service: BOMs, routings, production orders, scheduling, MRP, quality, costing."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI

from services.production.boms.api import items as bom_items_router
from services.production.boms.api import router as boms_router
from services.production.costing.api import router as costing_router
from services.production.database import Base, outbox
from services.production.events import catalog
from services.production.handlers import handlers
from services.production.mrp.api import forecasts as forecasts_router
from services.production.mrp.api import router as mrp_router
from services.production.orders.api import router as orders_router
from services.production.orders.lateness import watch_for_late_orders
from services.production.planning.api import router as planning_router
from services.production.promises.api import router as promises_router
from services.production.quality.api import inspections as inspections_router
from services.production.quality.api import plans as inspection_plans_router
from services.production.quality.api import reports as quality_reports_router
from services.production.routings.api import router as routings_router
from services.production.schedules.api import router as schedules_router
from services.production.schedules.gantt_page import router as gantt_page_router
from services.production.scheduling.api import router as scheduling_router
from shared.pages.assets import assets_router
from shared.service_app import ServiceDefinition, create_service_app
from shared.settings import Settings

definition = ServiceDefinition(
    name="production",
    title="Plantline Production",
    description="What to make, how and when: BOMs, routings, production orders, finite-capacity "
    "scheduling, MRP, quality and costing. Authorize with a bearer token (`make token`).",
    metadata=Base.metadata,
    outbox=outbox,
    routers=[
        boms_router,
        bom_items_router,
        routings_router,
        orders_router,
        inspection_plans_router,
        inspections_router,
        quality_reports_router,
        scheduling_router,
        schedules_router,
        mrp_router,
        forecasts_router,
        planning_router,
        costing_router,
        gantt_page_router,
        assets_router(resources.files("services.production.schedules").joinpath("static")),
        promises_router,
    ],
    catalog=catalog,
    handlers=handlers,
    background=[watch_for_late_orders],
    tags=[
        {"name": "boms", "description": "Bills of materials."},
        {"name": "routings", "description": "Operations and work centers that make a product."},
        {"name": "orders", "description": "Production orders and their life on the shop floor."},
        {"name": "quality", "description": "Inspection plans, inspections, yield and defects."},
        {"name": "scheduling", "description": "Finite-capacity scheduling."},
        {
            "name": "schedules",
            "description": "Stored schedules of released orders on work centers, in versions, "
            "re-planned when downtime hits them. Open a schedule's `gantt_url` in a browser for "
            "its Gantt chart (or `/schedules/{id}/gantt` and sign in with a token); "
            "`/api/v1/schedules/{id}/gantt.svg` downloads the chart.",
        },
        {
            "name": "mrp",
            "description": "Material requirements planning: runs, planned orders, forecasts.",
        },
        {
            "name": "planning",
            "description": "Planning parameters of items: lot sizing, make or buy, lead time.",
        },
        {"name": "costing", "description": "Standard cost roll-ups and production order costs."},
        {
            "name": "promises",
            "description": "Capable to promise: the earliest date a quantity can be delivered, "
            "from stock, open supply, BOMs, lead times and the capacity the schedule leaves.",
        },
    ],
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the production application."""
    return create_service_app(definition, settings)
