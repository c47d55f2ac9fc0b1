"""Schedules wait for the components an order is short of, and say why orders are late."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from services.production.mrp.models import PurchaseLineView
from services.production.tests.test_mrp_released_orders import ReservationRejected
from services.production.tests.test_mrp_runs import PurchaseOrderPlaced, day
from services.production.tests.test_orders import TaskStarted, new_order, order_of, with_bike
from services.production.tests.test_promises import ALL_WEEK
from services.production.tests.test_work_center_view import (
    DowntimeRecorded,
    WorkCenterCreated,
    work_center,
)
from shared.db import new_id
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually


async def assembly_line(production: ServiceClient) -> None:
    await with_bike(production)
    created = WorkCenterCreated(
        code="ASSY", name="Assembly", capacity=1, cost_per_hour="40", calendar=ALL_WEEK, version=1
    )
    await produce(production, "operations", [(created, "ASSY", new_id(), 1)])
    await eventually(partial(work_center, production, "ASSY"))
    routing = await production.post(
        "/api/v1/routings",
        json={
            "product_sku": "BIKE",
            "effective_from": "2020-01-01",
            "operations": [
                {
                    "sequence": 10,
                    "work_center": "ASSY",
                    "setup_minutes": "30",
                    "run_minutes_per_unit": "6",
                }
            ],
        },
    )
    assert routing.status_code == 201, routing.text


async def short_of_frames(production: ServiceClient, due: str) -> dict[str, Any]:
    """A released order for 10 bikes, due `due`, short of 10 frames that PO-0000S brings in 3 days."""
    order = await new_order(production, due_date=due)
    assert (await production.post(f"/api/v1/orders/{order['id']}/release")).status_code == 200
    rejected = ReservationRejected(
        reference=order["id"], shortages=[{"sku": "FRAME", "requested": "10", "available": "0"}]
    )
    placed = PurchaseOrderPlaced(
        purchase_order_id="po-short",
        number="PO-0000S",
        supplier="ALU",
        expected_date=date.fromisoformat(day(3)),
        lines=[{"sku": "FRAME", "quantity": "10", "unit_price": "30"}],
    )
    await produce(production, "inventory", [(rejected, order["id"], new_id(), 1)])
    await produce(production, "logistics", [(placed, "po-short", new_id(), 1)])

    async def ready() -> bool:
        async with production.app.state.database.transaction() as session:
            seen = await session.get(PurchaseLineView, ("po-short", "FRAME")) is not None
        return seen and (await order_of(production, order["id"]))["materials_status"] == "short"

    await eventually(ready, timeout=30)
    return order


async def test_an_order_short_of_components_starts_after_they_arrive_and_says_so(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    await assembly_line(production)
    order = await short_of_frames(production, day(1))

    created = await production.post("/api/v1/schedules", json={"time_limit_seconds": 1})

    assert created.status_code == 201, created.text
    body = created.json()
    [op] = body["operations"]
    arrival = datetime.fromisoformat(day(3)).replace(tzinfo=UTC)
    assert datetime.fromisoformat(op["start"]) >= arrival
    [late] = body["late_orders"]
    assert (late["order_id"], late["number"]) == (order["id"], order["number"])
    assert late["why"] == {
        "reason": "material",
        "sku": "FRAME",
        "expected_date": day(3),
        "source": "PO-0000S",
        "work_center": None,
    }
    assert (await production.get(f"/api/v1/schedules/{body['id']}")).json() == body


async def test_a_schedule_asked_to_start_in_the_past_plans_from_now(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await assembly_line(production)
    order = await new_order(production, due_date=day(5))
    assert (await production.post(f"/api/v1/orders/{order['id']}/release")).status_code == 200
    before = datetime.now(UTC)

    created = await production.post(
        "/api/v1/schedules", json={"time_limit_seconds": 1, "start": "2020-01-06T06:00:00Z"}
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert datetime.fromisoformat(body["origin"]) >= before.replace(second=0, microsecond=0)
    assert all(
        datetime.fromisoformat(op["start"]) >= before.replace(second=0, microsecond=0)
        for op in body["operations"]
    )
    assert body["late_orders"] == []


async def test_a_backward_schedule_finishes_orders_on_their_due_date(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await assembly_line(production)
    order = await new_order(production, due_date=day(4))
    assert (await production.post(f"/api/v1/orders/{order['id']}/release")).status_code == 200

    for body in ({"direction": "backward"}, {"just_in_time": True}):
        created = await production.post("/api/v1/schedules", json={"time_limit_seconds": 1, **body})
        assert created.status_code == 201, created.text
        [op] = created.json()["operations"]
        # The assembly calendar works until 23:59: the order ends on its due date, not before.
        assert op["end"].startswith(day(4)), op
    forward = await production.post("/api/v1/schedules", json={"time_limit_seconds": 1})
    [op] = forward.json()["operations"]
    assert op["end"].startswith(day(0)) or op["end"].startswith(day(1))
    bad = await production.post("/api/v1/schedules", json={"direction": "sideways"})
    assert bad.status_code == 422


async def test_an_order_waits_for_the_sub_assembly_order_that_makes_what_it_is_short_of(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    await assembly_line(production)
    weld = WorkCenterCreated(
        code="WELD", name="Welding", capacity=1, cost_per_hour="50", calendar=ALL_WEEK, version=1
    )
    await produce(production, "operations", [(weld, "WELD", new_id(), 1)])
    await eventually(partial(work_center, production, "WELD"))
    frames = await production.post(
        "/api/v1/routings",
        json={
            "product_sku": "FRAME",
            "effective_from": "2020-01-01",
            "operations": [
                {
                    "sequence": 10,
                    "work_center": "WELD",
                    "setup_minutes": "0",
                    "run_minutes_per_unit": "30",
                }
            ],
        },
    )
    assert frames.status_code == 201, frames.text
    await production.post(
        "/api/v1/boms",
        json={"product_sku": "FRAME", "components": [{"sku": "WHEEL", "quantity": "0.001"}]},
    )
    frame_order = await new_order(production, product_sku="FRAME", due_date=day(3))
    assert (await production.post(f"/api/v1/orders/{frame_order['id']}/release")).status_code == 200
    bikes = await new_order(production, due_date=day(5))
    assert (await production.post(f"/api/v1/orders/{bikes['id']}/release")).status_code == 200
    rejected = ReservationRejected(
        reference=bikes["id"], shortages=[{"sku": "FRAME", "requested": "10", "available": "0"}]
    )
    await produce(production, "inventory", [(rejected, bikes["id"], new_id(), 1)])

    async def short() -> bool:
        return (await order_of(production, bikes["id"]))["materials_status"] == "short"

    await eventually(short, timeout=30)
    created = await production.post("/api/v1/schedules", json={"time_limit_seconds": 2})
    assert created.status_code == 201, created.text
    ops = {op["order_id"]: op for op in created.json()["operations"]}
    # Ten frames take five hours of welding; the bikes start only when they are done.
    assert datetime.fromisoformat(ops[bikes["id"]]["start"]) >= datetime.fromisoformat(
        ops[frame_order["id"]]["end"]
    )


async def test_a_started_operation_keeps_its_start_when_downtime_forces_a_re_plan(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    await assembly_line(production)
    first = await new_order(production, due_date=day(5))
    second = await new_order(production, due_date=day(5))
    for order in (first, second):
        assert (await production.post(f"/api/v1/orders/{order['id']}/release")).status_code == 200
    began = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    started = TaskStarted(
        task_id="t-1",
        order_id=first["id"],
        sequence=10,
        work_center="ASSY",
        started_at=began.isoformat(),
    )
    await produce(production, "operations", [(started, "t-1", new_id(), 1)])

    async def in_progress() -> bool:
        return (await order_of(production, first["id"]))["status"] == "in_progress"

    await eventually(in_progress, timeout=30)
    created = await production.post("/api/v1/schedules", json={"time_limit_seconds": 1})
    assert created.status_code == 201, created.text
    ops = {op["order_id"]: op for op in created.json()["operations"]}
    assert datetime.fromisoformat(ops[first["id"]]["start"]) == began
    other = ops[second["id"]]

    # A breakdown over the other order's operation: the re-plan moves it, not the started one.
    down = DowntimeRecorded(
        downtime_id="d-1",
        work_center="ASSY",
        start=other["start"],
        end=(datetime.fromisoformat(other["end"]) + timedelta(hours=1)).isoformat(),
        kind="breakdown",
        reason="jammed",
    )
    await produce(production, "operations", [(down, "d-1", new_id(), 1)])

    async def replaced() -> dict[str, Any] | None:
        page = (await production.get("/api/v1/schedules")).json()
        return page["items"][0] if page["items"][0]["replaces"] else None

    latest = await eventually(replaced, timeout=30)
    body = (await production.get(f"/api/v1/schedules/{latest['id']}")).json()
    moved = {op["order_id"]: op for op in body["operations"]}
    assert datetime.fromisoformat(moved[first["id"]]["start"]) == began
    assert datetime.fromisoformat(moved[second["id"]]["start"]) >= datetime.fromisoformat(down.end)
