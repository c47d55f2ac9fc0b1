"""Production orders over HTTP: the lifecycle, illegal transitions, and what inventory and
operations report back over the broker."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from services.production.tests.catalog_seed import published, seed_items, seed_work_centers
from shared.db import new_id
from shared.events import DomainEvent
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually


class ReservationConfirmed(DomainEvent):
    event_type: ClassVar[str] = "inventory.reservation.confirmed"
    reservation_id: str
    reference: str
    lines: list[dict[str, Any]]


class ReservationRejected(DomainEvent):
    event_type: ClassVar[str] = "inventory.reservation.rejected"
    reference: str
    shortages: list[dict[str, Any]]


class TaskStarted(DomainEvent):
    event_type: ClassVar[str] = "operations.task.started"
    task_id: str
    order_id: str
    sequence: int
    work_center: str
    started_at: str


class TaskCompleted(TaskStarted):
    event_type: ClassVar[str] = "operations.task.completed"
    completed_at: str
    good_quantity: str
    scrap_quantity: str
    worked_minutes: str
    cost_per_hour: str
    last_operation: bool


async def with_bike(production: ServiceClient) -> None:
    await seed_items(production, "BIKE", "WHEEL", "FRAME", standard_cost="10")
    bom = await production.post(
        "/api/v1/boms",
        json={
            "product_sku": "BIKE",
            "components": [
                {"sku": "WHEEL", "quantity": 2, "scrap_factor": "0.1"},
                {"sku": "FRAME", "quantity": 1},
            ],
        },
    )
    assert bom.status_code == 201, bom.text


async def new_order(production: ServiceClient, **extra: Any) -> dict[str, Any]:
    body = {"product_sku": "BIKE", "quantity": "10", "due_date": "2026-12-15", **extra}
    created = await production.post("/api/v1/orders", json=body)
    assert created.status_code == 201, created.text
    return created.json()


async def order_of(production: ServiceClient, order_id: str) -> dict[str, Any]:
    return (await production.get(f"/api/v1/orders/{order_id}")).json()


async def test_an_order_for_a_product_inventory_does_not_have_is_refused(stack: Stack) -> None:
    _inventory, production = await stack.start("inventory", "production")

    unknown = await production.post(
        "/api/v1/orders", json={"product_sku": "GHOST", "quantity": 1, "due_date": "2026-12-01"}
    )

    assert unknown.status_code == 422
    assert unknown.json()["unknown_skus"] == ["GHOST"]
    assert (await production.get("/api/v1/orders")).json()["total"] == 0


async def test_order_lifecycle_and_illegal_transitions(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "BIKE", "WHEEL", "FRAME", standard_cost="10")
    order = await new_order(production, priority=8)
    assert (order["status"], order["materials_status"], order["priority"]) == (
        "planned",
        "none",
        8,
    )
    assert order["warehouse"] == "MAIN"
    oid = order["id"]

    no_bom = await production.post(f"/api/v1/orders/{oid}/release")
    assert no_bom.status_code == 409
    assert "BOM" in no_bom.json()["detail"]
    for action in ("start", "complete"):
        body_of = {"good_quantity": 1} if action == "complete" else None
        refused = await production.post(f"/api/v1/orders/{oid}/{action}", json=body_of)
        assert refused.status_code == 409, action
        assert refused.json()["type"].endswith("illegal-transition")

    bom = await production.post(
        "/api/v1/boms",
        json={
            "product_sku": "BIKE",
            "components": [
                {"sku": "WHEEL", "quantity": 2, "scrap_factor": "0.1"},
                {"sku": "FRAME", "quantity": 1},
            ],
        },
    )
    assert bom.status_code == 201
    released = await production.post(f"/api/v1/orders/{oid}/release")
    assert released.status_code == 200, released.text
    body = released.json()
    assert (body["status"], body["materials_status"]) == ("released", "pending")
    assert body["components"] == [
        {"sku": "WHEEL", "quantity": "22"},
        {"sku": "FRAME", "quantity": "10"},
    ]
    assert (await production.post(f"/api/v1/orders/{oid}/release")).status_code == 409

    started = await production.post(f"/api/v1/orders/{oid}/start")
    assert started.json()["status"] == "in_progress"
    bad = await production.post(f"/api/v1/orders/{oid}/complete", json={"good_quantity": -1})
    assert bad.status_code == 422
    done = await production.post(
        f"/api/v1/orders/{oid}/complete",
        json={"good_quantity": "8", "scrap_quantity": "2", "lot": "L1"},
    )
    assert done.status_code == 200, done.text
    body = done.json()
    assert (body["status"], body["good_quantity"], body["scrap_quantity"], body["lot"]) == (
        "completed",
        "8",
        "2",
        "L1",
    )
    # (22 wheels + 10 frames) at 10 each over 8 good bikes
    assert Decimal(body["unit_cost"]) == Decimal(40)
    for action in ("cancel", "start", "release", "complete"):
        body_of = {"good_quantity": 1} if action == "complete" else None
        refused = await production.post(f"/api/v1/orders/{oid}/{action}", json=body_of)
        assert refused.status_code == 409, action

    other = await new_order(production, product_sku="BIKE", due_date="2026-12-01")
    cancelled = await production.post(
        f"/api/v1/orders/{other['id']}/cancel", json={"reason": "withdrawn"}
    )
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"] == "withdrawn"
    assert (await production.post(f"/api/v1/orders/{other['id']}/cancel")).status_code == 409
    assert (await production.get("/api/v1/orders/nope")).status_code == 404

    listed = (await production.get("/api/v1/orders")).json()
    assert [o["id"] for o in listed["items"]] == [other["id"], oid]
    completed = await production.get(
        "/api/v1/orders", params={"status": "completed", "product_sku": "BIKE"}
    )
    assert [o["id"] for o in completed.json()["items"]] == [oid]

    assert [e["order_id"] for e in await published(production, "production.order.created")] == [
        oid,
        other["id"],
    ]
    (released_event,) = await published(production, "production.order.released")
    assert released_event["components"] == [
        {"sku": "WHEEL", "quantity": "22"},
        {"sku": "FRAME", "quantity": "10"},
    ]
    assert (released_event["warehouse"], released_event["quantity"]) == ("MAIN", "10")
    (completed_event,) = await published(production, "production.order.completed")
    assert completed_event["good_quantity"] == "8"
    assert completed_event["lot"] == "L1"
    assert completed_event["unit_cost"] == "40"
    assert len(await published(production, "production.order.started")) == 1
    (cancelled_event,) = await published(production, "production.order.cancelled")
    assert cancelled_event == {
        "order_id": other["id"],
        "product_sku": "BIKE",
        "reason": "withdrawn",
        "reservation_id": None,
    }


async def test_reservation_answers_set_the_materials_status(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await with_bike(production)
    short = await new_order(production)
    ok = await new_order(production)
    for order in (short, ok):
        await production.post(f"/api/v1/orders/{order['id']}/release")

    rejected = ReservationRejected(
        reference=short["id"],
        shortages=[{"sku": "WHEEL", "requested": "22", "available": "5"}],
    )
    confirmed = ReservationConfirmed(
        reservation_id="r-1", reference=ok["id"], lines=[{"sku": "WHEEL", "quantity": "22"}]
    )
    not_an_order = ReservationConfirmed(reservation_id="r-2", reference="delivery-9", lines=[])
    await produce(
        production,
        "inventory",
        [
            (rejected, short["id"], new_id(), 1),
            (not_an_order, "r-2", new_id(), 1),
            (confirmed, "r-1", new_id(), 1),
        ],
    )

    async def answered() -> bool:
        a, b = await order_of(production, short["id"]), await order_of(production, ok["id"])
        return a["materials_status"] == "short" and b["materials_status"] == "reserved"

    await eventually(answered)
    body = await order_of(production, short["id"])
    assert body["shortages"] == [{"sku": "WHEEL", "requested": "22", "available": "5"}]
    assert (await order_of(production, ok["id"]))["reservation_id"] == "r-1"

    assert (await production.post(f"/api/v1/orders/{ok['id']}/reserve")).status_code == 409
    again = await production.post(f"/api/v1/orders/{short['id']}/reserve")
    assert again.status_code == 200, again.text
    assert (again.json()["materials_status"], again.json()["shortages"]) == ("pending", [])
    asked = [
        (e["order_id"], e["reservation_attempt"])
        for e in await published(production, "production.order.released")
    ]
    assert asked == [(short["id"], 1), (ok["id"], 1), (short["id"], 2)]
    assert (await production.post(f"/api/v1/orders/{short['id']}/reserve")).status_code == 409


async def test_task_reports_start_the_order_and_record_progress_and_cost(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await with_bike(production)
    await seed_work_centers(production, "ASSY")
    order = await new_order(production)
    oid = order["id"]
    await production.post(f"/api/v1/orders/{oid}/release")

    started = TaskStarted(
        task_id="t-10",
        order_id=oid,
        sequence=10,
        work_center="ASSY",
        started_at="2026-12-01T08:00:00Z",
    )
    completed = TaskCompleted(
        **started.model_dump(),
        completed_at="2026-12-01T10:00:00Z",
        good_quantity="10",
        scrap_quantity="0",
        worked_minutes="120",
        cost_per_hour="30",
        last_operation=True,
    )
    await produce(
        production, "operations", [(started, "t-10", new_id(), 1), (completed, "t-10", new_id(), 2)]
    )

    async def progressed() -> dict[str, Any] | None:
        body = await order_of(production, oid)
        done = body["progress"]["operations_completed"] == 1 and body["status"] == "in_progress"
        return body if done else None

    body = await eventually(progressed)
    assert body["started_at"].startswith("2026-12-01T08:00:00")
    progress = body["progress"]
    assert progress["last_operation_completed"] is True
    assert progress["reported_good_quantity"] == "10"
    assert progress["worked_minutes"] == "120"
    assert progress["tasks"][0]["work_center"] == "ASSY"

    done = await production.post(f"/api/v1/orders/{oid}/complete", json={"good_quantity": 10})
    # materials 320 + labour 2 h at 30 = 380 over 10
    assert done.json()["unit_cost"] == "38"
