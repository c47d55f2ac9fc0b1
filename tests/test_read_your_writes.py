"""Production checks references against its views of inventory's items and operations' work
centers; what the views have not heard of yet it asks the owner about over HTTP, so an integrator
may create a record and use it at once. Production runs without messaging here, so its views
learn nothing from events and every reference it accepts was asked for."""

from __future__ import annotations

import socket
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from services.production.catalog.models import KnownItem, KnownWorkCenter
from services.production.tests.catalog_seed import seed_items
from shared.testing.owners import failing_service
from shared.testing.stack import ServiceClient, Stack, eventually

NO_EVENTS = {"enable_messaging": False}
MINUTES = {"setup_minutes": "30", "run_minutes_per_unit": "4"}


async def _owners_and_production(stack: Stack, *owners: str) -> list[ServiceClient]:
    """The owners as usual, and production reading no events."""
    return [*await stack.start(*owners), *await stack.start("production", **NO_EVENTS)]


async def _create_items(inventory: ServiceClient, *skus: str) -> None:
    for sku in skus:
        created = await inventory.post(
            "/api/v1/items",
            json={"sku": sku, "name": f"{sku} part", "kind": "component", "standard_cost": "4.5"},
        )
        assert created.status_code == 201, created.text


async def _rows(client: ServiceClient, model: Any, key: Any, value: str) -> list[Any]:
    async with client.app.state.database.transaction() as session:
        return list((await session.execute(select(model).where(key == value))).scalars())


async def _count(client: ServiceClient, model: Any) -> int:
    async with client.app.state.database.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_items_created_in_inventory_can_be_used_in_production_at_once(stack: Stack) -> None:
    inventory, production = await _owners_and_production(stack, "inventory")
    await _create_items(inventory, "BIKE", "WHEEL", "FRAME")

    bom = await production.post(
        "/api/v1/boms",
        json={
            "product_sku": "BIKE",
            "components": [{"sku": "WHEEL", "quantity": 2}, {"sku": "FRAME", "quantity": 1}],
        },
    )
    assert bom.status_code == 201, bom.text
    order = await production.post(
        "/api/v1/orders", json={"product_sku": "BIKE", "quantity": 3, "due_date": "2026-12-20"}
    )
    assert order.status_code == 201, order.text
    await _create_items(inventory, "SPOKE")
    parameters = await production.put(
        "/api/v1/planning-parameters/SPOKE", json={"lot_sizing": "lot_for_lot"}
    )
    assert parameters.status_code == 201, parameters.text
    await _create_items(inventory, "SADDLE")
    plan = await production.post(
        "/api/v1/inspection-plans",
        json={"product_sku": "SADDLE", "sample_size": 2, "characteristics": [{"name": "seam"}]},
    )
    assert plan.status_code == 201, plan.text

    (wheel,) = await _rows(production, KnownItem, KnownItem.sku, "WHEEL")
    assert (wheel.name, wheel.kind, wheel.standard_cost) == (
        "WHEEL part",
        "component",
        Decimal("4.5"),
    )


async def test_a_work_center_created_in_operations_can_be_used_in_a_routing_at_once(
    stack: Stack,
) -> None:
    inventory, operations, production = await _owners_and_production(
        stack, "inventory", "operations"
    )
    await _create_items(inventory, "FRAME")
    for code in ("WELD", "PAINT"):
        created = await operations.post(
            "/api/v1/work-centers",
            json={"code": code, "name": f"{code} cell", "capacity": 2, "cost_per_hour": "75"},
        )
        assert created.status_code == 201, created.text

    routing = await production.post(
        "/api/v1/routings",
        json={
            "product_sku": "FRAME",
            "operations": [
                {"sequence": 10, "work_center": "WELD", **MINUTES},
                {"sequence": 20, "work_center": "PAINT", **MINUTES},
            ],
        },
    )

    assert routing.status_code == 201, routing.text
    (weld,) = await _rows(production, KnownWorkCenter, KnownWorkCenter.code, "WELD")
    assert (weld.name, weld.capacity, weld.cost_per_hour) == ("WELD cell", 2, Decimal(75))


async def test_a_learned_item_stays_one_row_when_its_event_arrives_later(stack: Stack) -> None:
    inventory, production = await _owners_and_production(stack, "inventory")
    await _create_items(inventory, "BOLT")
    order = await production.post(
        "/api/v1/orders", json={"product_sku": "BOLT", "quantity": 5, "due_date": "2026-12-20"}
    )
    assert order.status_code == 201, order.text
    (learned,) = await _rows(production, KnownItem, KnownItem.sku, "BOLT")
    assert learned.source_sequence == 0

    await stack.stop("production")
    production = await stack.run("production")

    async def event_applied() -> bool:
        rows = await _rows(production, KnownItem, KnownItem.sku, "BOLT")
        return len(rows) == 1 and rows[0].source_sequence > 0

    await eventually(event_applied)
    (kept,) = await _rows(production, KnownItem, KnownItem.sku, "BOLT")
    assert (kept.name, kept.standard_cost) == ("BOLT part", Decimal("4.5"))
    assert await _count(production, KnownItem) == 1


async def test_skus_and_work_centers_the_owners_do_not_have_either_are_still_unknown(
    stack: Stack,
) -> None:
    inventory, _operations, production = await _owners_and_production(
        stack, "inventory", "operations"
    )
    await _create_items(inventory, "BIKE")

    bom = await production.post(
        "/api/v1/boms",
        json={"product_sku": "BIKE", "components": [{"sku": "GHOST", "quantity": 1}]},
    )
    assert bom.status_code == 422, bom.text
    assert bom.json()["unknown_skus"] == ["GHOST"]
    routing = await production.post(
        "/api/v1/routings",
        json={
            "product_sku": "BIKE",
            "operations": [{"sequence": 10, "work_center": "NOWHERE", **MINUTES}],
        },
    )
    assert routing.status_code == 422, routing.text
    assert routing.json()["unknown_work_centers"] == ["NOWHERE"]

    assert (await production.get("/api/v1/boms")).json()["total"] == 0
    assert (await production.get("/api/v1/routings")).json()["total"] == 0
    assert await _rows(production, KnownItem, KnownItem.sku, "GHOST") == []


async def test_an_unreachable_owner_is_a_503_naming_what_could_not_be_verified(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANTLINE_INVENTORY_URL", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("PLANTLINE_OPERATIONS_URL", f"http://127.0.0.1:{_closed_port()}")
    (production,) = await stack.start("production", **NO_EVENTS)

    bom = await production.post(
        "/api/v1/boms",
        json={"product_sku": "FRAME", "components": [{"sku": "TUBE", "quantity": 2}]},
    )
    assert bom.status_code == 503, bom.text
    assert bom.headers["content-type"].startswith("application/problem+json")
    problem = bom.json()
    assert problem["status"] == 503
    assert problem["type"].endswith("reference-unverified")
    assert problem["detail"] == (
        "Could not verify skus 'FRAME', 'TUBE' with inventory: inventory is unreachable."
    )
    assert problem["unverified"] == ["FRAME", "TUBE"]
    assert "unknown_skus" not in problem

    await seed_items(production, "FRAME")
    routing = await production.post(
        "/api/v1/routings",
        json={
            "product_sku": "FRAME",
            "operations": [{"sequence": 10, "work_center": "WELD", **MINUTES}],
        },
    )
    assert routing.status_code == 503, routing.text
    assert routing.json()["detail"] == (
        "Could not verify work center 'WELD' with operations: operations is unreachable."
    )

    assert (await production.get("/api/v1/boms")).json()["total"] == 0
    assert (await production.get("/api/v1/routings")).json()["total"] == 0


async def test_an_owner_answering_a_server_error_is_a_503_and_the_same_key_works_once_it_is_back(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production", **NO_EVENTS)
    production.app.state.peers.transports["inventory"] = httpx.ASGITransport(
        app=failing_service(500)
    )
    body = {"product_sku": "FRAME", "quantity": 1, "due_date": "2026-12-20"}
    key = {"Idempotency-Key": "order-frame-1"}

    refused = await production.post("/api/v1/orders", json=body, headers=key)

    assert refused.status_code == 503, refused.text
    assert refused.json()["detail"] == (
        "Could not verify sku 'FRAME' with inventory: inventory answered HTTP 500."
    )
    assert (await production.get("/api/v1/orders")).json()["total"] == 0

    (inventory,) = await stack.start("inventory")  # production now reaches the real one
    await _create_items(inventory, "FRAME")
    accepted = await production.post("/api/v1/orders", json=body, headers=key)
    assert accepted.status_code == 201, accepted.text
    assert (await production.get("/api/v1/orders")).json()["total"] == 1


async def test_an_owner_refusing_the_service_token_is_a_503_not_an_unknown_sku(
    sqlite_stack: Stack,
) -> None:
    (production,) = await sqlite_stack.start("production", **NO_EVENTS)
    production.app.state.peers.transports["inventory"] = httpx.ASGITransport(
        app=failing_service(403)
    )

    bom = await production.post(
        "/api/v1/boms",
        json={"product_sku": "FRAME", "components": [{"sku": "TUBE", "quantity": 2}]},
    )

    assert bom.status_code == 503, bom.text
    assert bom.json()["detail"] == (
        "Could not verify skus 'FRAME', 'TUBE' with inventory: inventory answered HTTP 403."
    )
