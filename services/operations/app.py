"""The operations service: departments, work centers, calendars, downtime, dispatch, tasks, KPIs."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI

from services.operations.database import Base, outbox
from services.operations.downtime.api import router as downtime_router
from services.operations.events import catalog
from services.operations.handlers import handlers
from services.operations.kpis.api import router as kpis_router
from services.operations.losses.api import router as losses_router
from services.operations.organization.api import router as organization_router
from services.operations.stations.api import router as stations_router
from services.operations.tasks.api import router as tasks_router
from services.operations.timeline.api import router as timeline_router
from services.operations.work_centers.api import router as work_centers_router
from services.operations.work_requests.api import router as work_requests_router
from shared.pages.assets import assets_router
from shared.service_app import ServiceDefinition, create_service_app
from shared.settings import Settings

definition = ServiceDefinition(
    name="operations",
    title="Plantline Operations",
    description="The shop floor day to day: departments, work centers and calendars, downtime, "
    "dispatch lists, task execution, work requests and KPIs. Authorize with a bearer token "
    "(`make token`).",
    metadata=Base.metadata,
    outbox=outbox,
    routers=[
        organization_router,
        work_centers_router,
        downtime_router,
        tasks_router,
        losses_router,
        kpis_router,
        work_requests_router,
        timeline_router,
        stations_router,
        assets_router(resources.files("services.operations.stations").joinpath("static")),
    ],
    catalog=catalog,
    handlers=handlers,
    tags=[
        {"name": "organization", "description": "Departments and teams, with members and skills."},
        {
            "name": "work centers",
            "description": "Machines and cells: capacity, cost per hour and working calendar.",
        },
        {"name": "downtime", "description": "Breakdowns, planned stops and maintenance plans."},
        {
            "name": "tasks",
            "description": "Dispatch lists from published schedules; start when ready, pause for a "
            "loss reason, resume, report, complete, correct.",
        },
        {
            "name": "kpis",
            "description": "OEE, utilisation, throughput, WIP, schedule adherence, on-time completion.",
        },
        {
            "name": "work requests",
            "description": "Maintenance, quality, material and engineering requests between departments.",
        },
        {"name": "timeline", "description": "Every event that names a production order."},
        {
            "name": "stations",
            "description": "The work center's page for operators: open `/stations/{code}` in a "
            "browser.",
        },
    ],
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the operations application."""
    return create_service_app(definition, settings)
