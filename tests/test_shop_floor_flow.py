"""From a production schedule to the shop floor and back, over the real broker: work centers
from operations let production route and schedule an order; the published schedule becomes
operations' dispatch lists; the tasks operators run come back to production as the order's
progress; operations keeps the order's timeline from all of it. The shop floor's rules hold
across the services: a task waits for the operation before it (or the overlap its routing
allows) and for the materials inventory reserved; partial reports and corrections reach the
order's progress and costs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import delete

from services.operations.orders.models import KnownOrder
from shared.testing.owners import failing_service
from shared.testing.stack import ServiceClient, Stack, eventually

ROUTING = {
    "product_sku": "BIKE",
    "operations": [
        {"sequence": 10, "work_center": "CUT", "setup_minutes": 10, "run_minutes_per_unit": 2},
        {"sequence": 20, "work_center": "WELD", "setup_minutes": 5, "run_minutes_per_unit": 3},
    ],
}


async def _items(inventory: ServiceClient) -> None:
    for sku, kind in (("BIKE", "finished"), ("WHEEL", "component"), ("FRAME", "component")):
        created = await inventory.post(
            "/api/v1/items", json={"sku": sku, "name": sku, "kind": kind, "standard_cost": "5"}
        )
        assert created.status_code == 201, created.text
    for sku in ("WHEEL", "FRAME"):
        received = await inventory.post(
            "/api/v1/movements",
            json={
                "kind": "receipt",
                "sku": sku,
                "quantity": "100",
                "warehouse": "MAIN",
                "unit_cost": "5",
            },
        )
        assert received.status_code == 201, received.text


async def _accepted(
    production: ServiceClient, path: str, body: dict[str, Any]
) -> dict[str, Any] | None:
    """The created resource once production knows what it names (items, work centers)."""
    response = await production.post(path, json=body)
    return response.json() if response.status_code == 201 else None  # type: ignore[no-any-return]


async def _dispatch(operations: ServiceClient, code: str) -> list[dict[str, Any]]:
    response = await operations.get(f"/api/v1/work-centers/{code}/dispatch-list")
    return response.json()["items"]  # type: ignore[no-any-return]


async def _when_ready(operations: ServiceClient, task: dict[str, Any]) -> dict[str, Any]:
    """The task's dispatch row once operations has learned what it waited for."""

    async def ready() -> dict[str, Any] | None:
        rows = await _dispatch(operations, task["work_center"])
        row = next((r for r in rows if r["id"] == task["id"]), None)
        return row if row is not None and row["readiness"] != "waiting" else None

    return await eventually(ready, timeout=20)  # type: ignore[no-any-return]


async def _scheduled_order(
    stack: Stack,
) -> tuple[ServiceClient, ServiceClient, str, dict[int, Any], list[dict[str, Any]]]:
    """A BIKE order released and scheduled on CUT then WELD, once both dispatch lists show it:
    (production, operations, the order's id, its planned operations by sequence, its tasks)."""
    inventory, production, operations = await stack.start("inventory", "production", "operations")
    await _items(inventory)
    for code, cost in (("CUT", "60"), ("WELD", "90")):
        created = await operations.post(
            "/api/v1/work-centers", json={"code": code, "name": code, "cost_per_hour": cost}
        )
        assert created.status_code == 201, created.text
    bom = {
        "product_sku": "BIKE",
        "components": [{"sku": "WHEEL", "quantity": 2}, {"sku": "FRAME", "quantity": 1}],
    }
    await eventually(lambda: _accepted(production, "/api/v1/boms", bom), timeout=20)
    await eventually(lambda: _accepted(production, "/api/v1/routings", ROUTING), timeout=20)
    order = await production.post(
        "/api/v1/orders", json={"product_sku": "BIKE", "quantity": "10", "due_date": "2026-12-20"}
    )
    assert order.status_code == 201, order.text
    order_id = order.json()["id"]
    released = await production.post(f"/api/v1/orders/{order_id}/release")
    assert released.status_code == 200, released.text

    scheduled = await production.post(
        "/api/v1/schedules", json={"order_ids": [order_id], "time_limit_seconds": 2}
    )
    assert scheduled.status_code == 201, scheduled.text
    planned = {op["sequence"]: op for op in scheduled.json()["operations"]}

    async def dispatched() -> list[dict[str, Any]] | None:
        cut, weld = await _dispatch(operations, "CUT"), await _dispatch(operations, "WELD")
        return cut + weld if cut and weld else None

    tasks = await eventually(dispatched, timeout=20)
    return production, operations, order_id, planned, tasks


async def test_a_schedule_reaches_the_dispatch_lists_and_completed_tasks_reach_the_order(
    stack: Stack,
) -> None:
    production, operations, order_id, planned, tasks = await _scheduled_order(stack)
    cut, weld = tasks[:1], tasks[1:]
    assert [(t["order_id"], t["sequence"], t["quantity"]) for t in cut + weld] == [
        (order_id, 10, "10"),
        (order_id, 20, "10"),
    ]
    for task in cut + weld:
        plan = planned[task["sequence"]]
        assert task["planned_start"].replace("Z", "+00:00") == plan["start"].replace("Z", "+00:00")
        assert task["planned_end"].replace("Z", "+00:00") == plan["end"].replace("Z", "+00:00")

    for task, good, scrap in ((cut[0], "10", "0"), (weld[0], "9", "1")):
        await _when_ready(operations, task)
        assert (await operations.post(f"/api/v1/tasks/{task['id']}/start")).status_code == 200
        done = await operations.post(
            f"/api/v1/tasks/{task['id']}/complete",
            json={"good_quantity": good, "scrap_quantity": scrap},
        )
        assert done.status_code == 200, done.text

    async def reported() -> dict[str, Any] | None:
        body = (await production.get(f"/api/v1/orders/{order_id}")).json()
        return body if body["progress"]["operations_completed"] == 2 else None

    progress = (await eventually(reported, timeout=20))["progress"]
    assert progress["last_operation_completed"] is True
    assert Decimal(progress["reported_good_quantity"]) == 9

    async def timeline() -> list[str] | None:
        body = (await operations.get(f"/api/v1/orders/{order_id}/timeline")).json()
        types = [e["event_type"] for e in body["events"]]
        return types if "production.order.released" in types else None

    types = await eventually(timeline, timeout=20)
    assert types.index("production.order.created") < types.index("production.order.released")
    assert types.index("production.order.released") < types.index("production.schedule.published")
    assert types.index("production.schedule.published") < types.index("operations.task.started")
    assert types.count("operations.task.started") == types.count("operations.task.completed") == 2


async def test_the_rules_hold_across_services_and_reports_and_corrections_reach_the_order(
    stack: Stack,
) -> None:
    inventory, production, operations = await stack.start("inventory", "production", "operations")
    await _items(inventory)
    for code in ("CUT", "WELD"):
        created = await operations.post(
            "/api/v1/work-centers", json={"code": code, "name": code, "cost_per_hour": "60"}
        )
        assert created.status_code == 201, created.text
    bom = {"product_sku": "BIKE", "components": [{"sku": "FRAME", "quantity": 1}]}
    await eventually(lambda: _accepted(production, "/api/v1/boms", bom), timeout=20)
    overlapping = {
        "product_sku": "BIKE",
        "operations": [
            ROUTING["operations"][0],
            {**ROUTING["operations"][1], "overlap_quantity": "4"},
        ],
    }
    routing = await eventually(
        lambda: _accepted(production, "/api/v1/routings", overlapping), timeout=20
    )
    assert routing["operations"][1]["overlap_quantity"] == "4"
    order = await production.post(
        "/api/v1/orders", json={"product_sku": "BIKE", "quantity": "10", "due_date": "2026-12-20"}
    )
    order_id, number = order.json()["id"], order.json()["number"]
    assert (await production.post(f"/api/v1/orders/{order_id}/release")).status_code == 200
    scheduled = await production.post(
        "/api/v1/schedules", json={"order_ids": [order_id], "time_limit_seconds": 2}
    )
    assert scheduled.status_code == 201, scheduled.text

    async def dispatched() -> tuple[dict[str, Any], dict[str, Any]] | None:
        cut, weld = await _dispatch(operations, "CUT"), await _dispatch(operations, "WELD")
        # The rows name the order once operations has heard of its release (another topic).
        known = cut and weld and cut[0]["order_number"] is not None
        return (cut[0], weld[0]) if known else None

    cut, weld = await eventually(dispatched, timeout=20)
    refused = await operations.post(f"/api/v1/tasks/{weld['id']}/start")
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("task-not-ready")
    assert refused.json()["waiting_for"][0]["needed"] == "4"

    row = await _when_ready(operations, cut)
    assert (row["order_number"], row["due_date"]) == (number, "2026-12-20")
    assert (await operations.post(f"/api/v1/tasks/{number}/start")).status_code == 200
    report = await operations.post(f"/api/v1/tasks/{cut['id']}/report", json={"good_quantity": "5"})
    assert report.status_code == 200, report.text
    # Four good frames are enough for the weld to begin.
    assert (await operations.post(f"/api/v1/tasks/{weld['id']}/start")).status_code == 200
    await operations.post(f"/api/v1/tasks/{weld['id']}/report", json={"good_quantity": "5"})

    async def progress(good: dict[int, str]) -> dict[str, Any] | None:
        body = (await production.get(f"/api/v1/orders/{order_id}")).json()
        tasks = {t["sequence"]: t["good_quantity"] for t in body["progress"]["tasks"]}
        return body if tasks == good else None

    await eventually(lambda: progress({10: "5", 20: "5"}), timeout=20)
    await operations.post(f"/api/v1/tasks/{cut['id']}/complete", json={"good_quantity": "5"})
    await operations.post(f"/api/v1/tasks/{weld['id']}/complete", json={"good_quantity": "5"})
    done = await eventually(lambda: progress({10: "10", 20: "10"}), timeout=20)
    assert Decimal(done["progress"]["reported_good_quantity"]) == 10

    corrected = await operations.post(
        f"/api/v1/tasks/{weld['id']}/corrections",
        json={"good_quantity": "9", "scrap_quantity": "1", "reason": "One weld cracked"},
    )
    assert corrected.status_code == 201, corrected.text
    after = await eventually(lambda: progress({10: "10", 20: "9"}), timeout=20)
    assert Decimal(after["progress"]["reported_good_quantity"]) == 9
    costs = (await production.get(f"/api/v1/orders/{order_id}/costs")).json()
    assert Decimal(costs["reported_good_quantity"]) == 9

    timeline = (await operations.get(f"/api/v1/orders/{number}/timeline")).json()
    types = [e["event_type"] for e in timeline["events"]]
    assert types.count("operations.task.reported") == 4
    assert types[-1] == "operations.task.corrected"


async def test_an_order_the_shop_floor_lost_track_of_is_asked_of_production_when_a_task_starts(
    stack: Stack,
) -> None:
    production, operations, order_id, _, tasks = await _scheduled_order(stack)
    cut = tasks[0]
    await _when_ready(operations, cut)
    database = operations.app.state.database

    async def forget_the_order() -> None:
        # As after restoring operations' database from before the order's release.
        async with database.transaction() as session:
            await session.execute(delete(KnownOrder).where(KnownOrder.order_id == order_id))

    await forget_the_order()
    (row,) = [r for r in await _dispatch(operations, "CUT") if r["id"] == cut["id"]]
    assert [(w["kind"], w["materials_status"]) for w in row["waiting_for"]] == [
        ("materials", "unknown")
    ]

    # Production unable to answer: the start is refused as not ready (what the view knows),
    # never a 503.
    transports = operations.app.state.peers.transports
    reachable, transports["production"] = (
        transports["production"],
        httpx.ASGITransport(app=failing_service(503)),
    )
    refused = await operations.post(f"/api/v1/tasks/{cut['id']}/start")
    assert refused.status_code == 409, refused.text
    assert refused.json()["waiting_for"] == [{"kind": "materials", "materials_status": "unknown"}]

    transports["production"] = reachable
    started = await operations.post(f"/api/v1/tasks/{cut['id']}/start")
    assert started.status_code == 200, started.text
    async with database.transaction() as session:
        known = await session.get(KnownOrder, order_id)
        assert known is not None
        assert (known.materials_status, known.number, known.status) == (
            "reserved",
            (await production.get(f"/api/v1/orders/{order_id}")).json()["number"],
            "released",
        )
