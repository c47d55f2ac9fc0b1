"""An order's timeline gathers the events of every service that name it, in time order."""

from __future__ import annotations

import uuid
from typing import Any

from services.operations.tests.support import (
    ScheduleForTest,
    add_work_center,
    foreign_event,
    operation,
    tasks_of,
)
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually


def _id() -> str:
    return str(uuid.uuid4())


async def _timeline(ops: ServiceClient, order_id: str) -> list[dict[str, Any]]:
    response = await ops.get(f"/api/v1/orders/{order_id}/timeline")
    assert response.status_code == 200, response.text
    return response.json()["events"]  # type: ignore[no-any-return]


async def test_order_timeline_has_every_event_naming_the_order_oldest_first(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "CUT")
    created = foreign_event(
        "production.order.created",
        order_id="O1",
        product_sku="BIKE",
        quantity="10",
        due_date="2026-12-10",
        status="planned",
        priority=1,
    )
    schedule = ScheduleForTest(
        schedule_id="S1",
        version=1,
        operations=[
            operation("O1", 10, "CUT", "2026-12-01T08:00:00+00:00", "2026-12-01T09:00:00+00:00"),
            operation("O2", 10, "CUT", "2026-12-01T09:00:00+00:00", "2026-12-01T10:00:00+00:00"),
        ],
    )
    await produce(ops, "production", [(created, "O1", _id(), 1), (schedule, "S1", _id(), 1)])
    confirmed = foreign_event(
        "inventory.reservation.confirmed", reservation_id="R1", reference="O1", lines=[]
    )
    other = foreign_event(
        "inventory.reservation.confirmed", reservation_id="R2", reference="O7", lines=[]
    )
    await produce(ops, "inventory", [(confirmed, "R1", _id(), 1), (other, "R2", _id(), 1)])
    await eventually(lambda: _count(ops, "O1", 3))
    cut = next(t for t in await tasks_of(ops, "CUT") if t["order_id"] == "O1")
    await ops.post(f"/api/v1/tasks/{cut['id']}/start")
    await ops.post(f"/api/v1/tasks/{cut['id']}/complete", json={"good_quantity": "10"})

    events = await _timeline(ops, "O1")
    types = [e["event_type"] for e in events]
    assert types[-3:] == [
        "operations.task.started",
        "operations.task.reported",
        "operations.task.completed",
    ]
    assert set(types[:3]) == {
        "production.order.created",
        "production.schedule.published",
        "inventory.reservation.confirmed",
    }
    assert types.index("production.order.created") < types.index("production.schedule.published")
    times = [e["occurred_at"] for e in events]
    assert times == sorted(times)
    schedule_entry = next(e for e in events if e["event_type"] == "production.schedule.published")
    assert [o["order_id"] for o in schedule_entry["data"]["operations"]] == ["O1"]
    assert events[-1]["data"]["last_operation"] is True
    assert events[-1]["source"] == "/plantline/operations"

    o2 = await _timeline(ops, "O2")
    assert [e["event_type"] for e in o2] == ["production.schedule.published"]
    assert [e["event_type"] for e in await _timeline(ops, "O7")] == [
        "inventory.reservation.confirmed"
    ]
    assert await _timeline(ops, "NOBODY") == []


async def _count(ops: ServiceClient, order_id: str, count: int) -> bool:
    return len(await _timeline(ops, order_id)) >= count
