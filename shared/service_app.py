"""The app factory every service uses: lifespan, health, metrics, errors, auth, middleware."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import MetaData

from shared.asyncapi import asyncapi_document
from shared.auth import TokenVerifier
from shared.broker import broker_reachable
from shared.consumer import EventConsumer, EventHandlers
from shared.db import Database
from shared.docs_assets import SWAGGER_UI_PARAMETERS, install_offline_docs
from shared.errors import NotFound, install_problem_handlers
from shared.events import EventCatalog
from shared.idempotency import IdempotencyMiddleware
from shared.openapi import install_openapi_steps
from shared.outbox import Outbox, OutboxRelay
from shared.peers import PeerServices
from shared.request_context import RequestContextMiddleware
from shared.retention import prune_periodically
from shared.settings import Settings
from shared.tables import mechanics_tables
from shared.timestamps import use_plant_timezone
from shared.tracing import Tracing

log = logging.getLogger("plantline.app")

SHUTDOWN_SECONDS = 20
"""How long shutdown waits for the relay, the consumer and background jobs to stop."""

StartupHook = Callable[[FastAPI], Awaitable[None]]


@dataclass
class ServiceDefinition:
    """What makes one service: its name, tables, routes, events and handlers."""

    name: str
    title: str
    description: str
    metadata: MetaData
    outbox: Outbox
    routers: Sequence[APIRouter]
    catalog: EventCatalog
    handlers: EventHandlers = field(default_factory=EventHandlers)
    tags: list[dict[str, str]] = field(default_factory=list)
    background: Sequence[Callable[[FastAPI], Coroutine[Any, Any, None]]] = ()
    version: str = "0.1.0"


def create_service_app(definition: ServiceDefinition, settings: Settings | None = None) -> FastAPI:
    """Build a service's FastAPI application."""
    settings = settings or Settings(service=definition.name)
    if settings.service != definition.name:
        settings = settings.model_copy(update={"service": definition.name})
    settings.check_secrets()
    use_plant_timezone(settings.plant_timezone)
    database = Database(settings.resolved_database_url)
    tables = mechanics_tables(definition.metadata)
    tracing = (
        Tracing.for_service(definition.name, settings.resolved_trace_dir, settings.otlp_endpoint)
        if settings.tracing
        else Tracing.disabled()
    )
    tracing.instrument_engine(database.engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks: list[asyncio.Task[Any]] = []
        if settings.enable_messaging:
            relay = OutboxRelay(settings, database, definition.outbox)
            consumer = EventConsumer(settings, database, tables, definition.handlers, tracing)
            app.state.relay, app.state.consumer = relay, consumer
            tasks.append(asyncio.create_task(relay.run(), name=f"{definition.name}-relay"))
            tasks.append(asyncio.create_task(consumer.run(), name=f"{definition.name}-consumer"))
        for job in definition.background:
            tasks.append(asyncio.create_task(job(app), name=f"{definition.name}-{job.__name__}"))
        tasks.append(
            asyncio.create_task(
                prune_periodically(settings, database, tables), name=f"{definition.name}-retention"
            )
        )
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            if tasks:
                done, stuck = await asyncio.wait(tasks, timeout=SHUTDOWN_SECONDS)
                for task in done:
                    if not task.cancelled() and task.exception() is not None:
                        log.error("%s ended with %r", task.get_name(), task.exception())
                for task in stuck:
                    log.error("%s did not stop within %ss", task.get_name(), SHUTDOWN_SECONDS)
            peers: PeerServices | None = getattr(app.state, "peers", None)
            if peers is not None:
                await peers.aclose()
            await app.state.token_verifier.aclose()
            await database.dispose()
            tracing.shutdown()

    app = FastAPI(
        title=definition.title,
        description=definition.description,
        version=definition.version,
        lifespan=lifespan,
        openapi_tags=definition.tags
        + [
            {"name": "health", "description": "Liveness, readiness and metrics; no token needed."},
            {"name": "events", "description": "AsyncAPI document and JSON Schemas of the events."},
        ],
        swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
        # The pages are served by install_offline_docs, with assets of the service's own.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.tables = tables
    app.state.definition = definition
    app.state.tracing = tracing
    app.state.token_verifier = TokenVerifier(settings)
    install_problem_handlers(app)
    install_openapi_steps(app)
    install_offline_docs(app)
    for router in definition.routers:
        app.include_router(router)
    app.include_router(_operational_routes(definition, settings, database))
    app.add_middleware(
        IdempotencyMiddleware,
        database=database,
        tables=tables,
        stale_claim=timedelta(seconds=settings.idempotency_stale_claim_seconds),
    )
    app.add_middleware(
        RequestContextMiddleware, service=definition.name, max_body_bytes=settings.max_body_bytes
    )
    tracing.instrument_app(app)
    return app


def _operational_routes(
    definition: ServiceDefinition, settings: Settings, database: Database
) -> APIRouter:
    router = APIRouter()

    @router.get("/health/live", tags=["health"], summary="The process is up")
    async def live() -> dict[str, str]:
        return {"status": "ok", "service": definition.name}

    @router.get("/health/ready", tags=["health"], summary="Database and broker are reachable")
    async def ready() -> JSONResponse:
        checks: dict[str, str] = {}
        try:
            await asyncio.wait_for(database.ping(), 3)
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"unreachable: {type(exc).__name__}"
        if settings.enable_messaging:
            checks["broker"] = "ok" if await broker_reachable(settings) else "unreachable"
        healthy = all(value == "ok" for value in checks.values())
        return JSONResponse(
            {"status": "ready" if healthy else "not-ready", "checks": checks},
            status_code=200 if healthy else 503,
        )

    @router.get(
        "/metrics",
        tags=["health"],
        summary="Prometheus metrics",
        response_class=Response,
        responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
    )
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @router.get(
        "/asyncapi.json", tags=["events"], summary="AsyncAPI document of this service's topics"
    )
    async def asyncapi() -> dict[str, Any]:
        return asyncapi_document(
            definition.title, definition.version, settings, definition.catalog, definition.handlers
        )

    @router.get(
        "/events/schemas/{event_type}/v{version}",
        tags=["events"],
        summary="JSON Schema of an event type's data",
    )
    async def event_schema(event_type: str, version: int) -> dict[str, Any]:
        model = definition.catalog.types.get(event_type)
        if model is None or model.schema_version != version:
            raise NotFound(f"No schema for {event_type} v{version}.")
        return definition.catalog.json_schema(event_type)

    return router
