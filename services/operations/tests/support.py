"""What the operations tests share: reading the outbox and seeding work centers."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, ClassVar

from pydantic import ConfigDict
from sqlalchemy import text

from services.operations.orders.schemas import OrderSeen
from services.operations.orders.service import materials_changed, order_seen
from services.operations.routings.schemas import RoutingSeen
from services.operations.routings.service import routing_published
from services.operations.tasks.schemas import SchedulePublished
from services.operations.tasks.service import apply_schedule
from shared.db import utcnow
from shared.events import DomainEvent
from shared.testing.stack import ServiceClient


async def published(client: ServiceClient, event_type: str) -> list[dict[str, Any]]:
    """The data of the events of a type the service recorded in its outbox, oldest first."""
    async with client.app.state.database.transaction() as session:
        rows = await session.execute(
            text("SELECT envelope FROM outbox WHERE event_type = :t ORDER BY id"), {"t": event_type}
        )
        return [json.loads(r[0])["data"] for r in rows]


async def add_work_center(client: ServiceClient, code: str, **fields: Any) -> dict[str, Any]:
    """Create a work center (default calendar unless given) and return it."""
    body = {"code": code, "name": f"Center {code}", "capacity": 1, "cost_per_hour": "60"}
    body.update(fields)
    response = await client.post("/api/v1/work-centers", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


class ScheduleForTest(DomainEvent):
    """`production.schedule.published` as production sends it."""

    event_type: ClassVar[str] = "production.schedule.published"

    schedule_id: str
    version: int
    replaces: str | None = None
    objective: str = "makespan"
    status: str = "feasible"
    makespan_minutes: int = 0
    operations: list[dict[str, Any]]


def operation(
    order_id: str, sequence: int, work_center: str, start: str, end: str, quantity: str = "10"
) -> dict[str, Any]:
    """A scheduled operation (run time: the span less 10 minutes of setup)."""
    span = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 60
    return {
        "order_id": order_id,
        "product_sku": "BIKE",
        "quantity": quantity,
        "sequence": sequence,
        "work_center": work_center,
        "start": start,
        "end": end,
        "setup_minutes": "10",
        "run_minutes": str(int(span) - 10),
    }


async def apply_directly(client: ServiceClient, schedule: ScheduleForTest) -> None:
    """Apply a schedule through the handler's use case, as the consumer would."""
    data = SchedulePublished.model_validate(schedule.model_dump())
    async with client.app.state.database.transaction() as session:
        await apply_schedule(session, data, utcnow())


async def reserve_materials(client: ServiceClient, *order_ids: str) -> None:
    """Mark the orders' materials reserved, as inventory's confirmation would."""
    async with client.app.state.database.transaction() as session:
        for order_id in order_ids:
            await materials_changed(session, order_id, "reserved")


async def know_order(client: ServiceClient, order_id: str, **fields: Any) -> None:
    """Let operations know an order as production's release announces it."""
    async with client.app.state.database.transaction() as session:
        await order_seen(session, OrderSeen(order_id=order_id, **fields), "released")


async def know_routing(client: ServiceClient, product_sku: str, *steps: dict[str, Any]) -> None:
    """Let operations know a product's routing as production publishes it."""
    routing = RoutingSeen(product_sku=product_sku, version=1, operations=list(steps))
    async with client.app.state.database.transaction() as session:
        await routing_published(session, routing)


async def tasks_of(
    client: ServiceClient, work_center: str, query: str = ""
) -> list[dict[str, Any]]:
    """The work center's dispatch list."""
    response = await client.get(f"/api/v1/work-centers/{work_center}/dispatch-list{query}")
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


def foreign_event(event_type: str, **data: Any) -> DomainEvent:
    """An event of another service with the given data, to put on its topic."""
    model = type(
        "ForeignEvent",
        (DomainEvent,),
        {
            "__annotations__": {"event_type": ClassVar[str]},
            "event_type": event_type,
            "model_config": ConfigDict(frozen=True, extra="allow"),
        },
    )
    return model(**data)  # type: ignore[no-any-return]
