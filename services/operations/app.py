"""The operations service: departments, work centers, calendars, downtime, dispatch, tasks, KPIs."""

from __future__ import annotations

from fastapi import FastAPI

from services.operations.database import Base, outbox
from services.operations.events import catalog
from services.operations.handlers import handlers
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
    routers=[],
    catalog=catalog,
    handlers=handlers,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the operations application."""
    return create_service_app(definition, settings)
