"""Reorder alerts and MRP buy lines become proposed purchase orders, one draft per supplier."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, ClassVar

from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from services.logistics.catalog.models import KnownStock
from shared.broker import ensure_topics
from shared.db import new_id
from shared.events import DomainEvent, make_envelope
from shared.testing.stack import ServiceClient, Stack, eventually


class Alert(DomainEvent):
    event_type: ClassVar[str] = "inventory.stock.below_reorder_point"
    sku: str
    available: str
    reorder_point: str
    reorder_quantity: str
    safety_stock: str
    suggested_quantity: str


class MrpRun(DomainEvent):
    event_type: ClassVar[str] = "production.mrp.completed"
    run_id: str
    horizon_days: int
    planned_orders: list[dict[str, Any]]


async def produce(
    client: ServiceClient, service: str, events: list[tuple[DomainEvent, str, str, int]]
) -> None:
    """Put events (event, subject, event id, sequence) on another service's topic with a real producer."""
    settings = client.settings
    await ensure_topics(settings, [settings.events_topic(service)])
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    await producer.start()
    try:
        for event, subject, event_id, sequence in events:
            envelope = make_envelope(
                service=service,
                event=event,
                subject=subject,
                event_id=event_id,
                sequence=sequence,
                traceparent=None,
            )
            await producer.send_and_wait(
                settings.events_topic(service), envelope.to_json(), key=subject.encode()
            )
    finally:
        await producer.stop()


async def suppliers(logistics: ServiceClient) -> None:
    for code, lead in (("ACME", 7), ("BETA", 3)):
        assert (
            await logistics.post(
                "/api/v1/suppliers", json={"code": code, "name": code, "lead_time_days": lead}
            )
        ).status_code == 201
    await logistics.put(
        "/api/v1/suppliers/ACME/items",
        json={
            "items": [
                {"sku": "TUBE", "unit_price": "3.2", "minimum_quantity": "100", "preferred": True},
                {"sku": "BOLT", "unit_price": "0.1", "preferred": True},
            ]
        },
    )
    await logistics.put(
        "/api/v1/suppliers/BETA/items",
        json={
            "items": [{"sku": "TUBE", "unit_price": "2.9"}, {"sku": "NUT", "unit_price": "0.05"}]
        },
    )


async def drafts(logistics: ServiceClient) -> list[dict[str, Any]]:
    return (await logistics.get("/api/v1/purchase-orders", params={"status": "draft"})).json()[
        "items"
    ]


def alert(sku: str, suggested: str) -> Alert:
    return Alert(
        sku=sku,
        available="5",
        reorder_point="20",
        reorder_quantity="50",
        safety_stock="10",
        suggested_quantity=suggested,
    )


async def proposals(logistics: ServiceClient) -> list[dict[str, Any]]:
    """The data of the `logistics.purchase_order.proposed` events in the outbox, oldest first."""
    async with logistics.app.state.database.transaction() as session:
        rows = await session.execute(
            text("SELECT envelope FROM outbox WHERE event_type = :t ORDER BY id"),
            {"t": "logistics.purchase_order.proposed"},
        )
        return [json.loads(r[0])["data"] for r in rows]


async def test_a_reorder_alert_and_its_repeats_become_one_proposed_order_from_the_preferred_supplier(
    stack: Stack,
) -> None:
    (logistics,) = await stack.start("logistics")
    await suppliers(logistics)
    first = new_id()
    await produce(
        logistics,
        "inventory",
        [
            (alert("TUBE", "60"), "TUBE", first, 1),
            (alert("TUBE", "60"), "TUBE", first, 1),
            (alert("TUBE", "60"), "TUBE", new_id(), 2),
        ],
    )
    await produce(logistics, "inventory", [(alert("BOLT", "500"), "BOLT", new_id(), 1)])

    async def proposed() -> list[dict[str, Any]] | None:
        found = await drafts(logistics)
        return found if found and len(found[0]["lines"]) == 2 else None

    [order] = await eventually(proposed, timeout=20)
    assert order["supplier"] == "ACME" and order["origin"] == "replenishment"
    assert {li["sku"]: li["quantity"] for li in order["lines"]} == {"TUBE": "100", "BOLT": "500"}
    # Each change of the draft is announced with its lines, so MRP counts it as supply.
    announced = await proposals(logistics)
    assert {e["purchase_order_id"] for e in announced} == {order["id"]}
    assert [(li["sku"], li["quantity"]) for li in announced[-1]["lines"]] == [
        ("TUBE", "100"),
        ("BOLT", "500"),
    ]
    assert announced[-1]["number"] == order["number"]
    placed = await logistics.post(f"/api/v1/purchase-orders/{order['id']}/place")
    assert placed.status_code == 200 and placed.json()["status"] == "placed"
    await produce(logistics, "inventory", [(alert("TUBE", "70"), "TUBE", new_id(), 3)])
    fresh = await eventually(lambda: drafts(logistics), timeout=20)
    assert [[li["quantity"] for li in d["lines"]] for d in fresh] == [["100"]]


async def test_mrp_buy_lines_are_grouped_per_supplier_and_make_lines_ignored(
    sqlite_stack: Stack,
) -> None:
    (logistics,) = await sqlite_stack.start("logistics")
    await suppliers(logistics)
    run = MrpRun(
        run_id="r1",
        horizon_days=30,
        planned_orders=[
            {
                "planned_order_id": "p1",
                "kind": "buy",
                "sku": "TUBE",
                "quantity": "300",
                "release_date": "2026-12-01",
                "due_date": "2026-12-08",
                "pegged_to": [],
            },
            {
                "planned_order_id": "p2",
                "kind": "buy",
                "sku": "NUT",
                "quantity": "1000",
                "release_date": "2026-12-01",
                "due_date": "2026-12-04",
                "pegged_to": [],
            },
            {
                "planned_order_id": "p3",
                "kind": "buy",
                "sku": "BOLT",
                "quantity": "40",
                "release_date": "2026-12-01",
                "due_date": "2026-12-06",
                "pegged_to": [],
            },
            {
                "planned_order_id": "p4",
                "kind": "make",
                "sku": "BIKE",
                "quantity": "10",
                "release_date": "2026-12-01",
                "due_date": "2026-12-10",
                "pegged_to": [],
            },
            {
                "planned_order_id": "p5",
                "kind": "buy",
                "sku": "UNSOURCED",
                "quantity": "1",
                "release_date": "2026-12-01",
                "due_date": "2026-12-10",
                "pegged_to": [],
            },
        ],
    )
    await produce(logistics, "production", [(run, "r1", new_id(), 1)])

    async def two() -> list[dict[str, Any]] | None:
        found = await drafts(logistics)
        return found if len(found) == 2 else None

    found = await eventually(two, timeout=20)
    by_supplier = {d["supplier"]: d for d in found}
    assert {li["sku"]: li["quantity"] for li in by_supplier["ACME"]["lines"]} == {
        "TUBE": "300",
        "BOLT": "40",
    }
    assert by_supplier["ACME"]["expected_date"] == "2026-12-06"
    assert [li["sku"] for li in by_supplier["BETA"]["lines"]] == ["NUT"]


class StockChanged(DomainEvent):
    event_type: ClassVar[str] = "inventory.stock.changed"
    sku: str
    on_hand: str
    reserved: str
    on_hold: str
    available: str
    average_cost: str
    by_warehouse: list[dict[str, Any]]


async def test_stock_view_keeps_the_latest_totals_and_ignores_stale_events(
    sqlite_stack: Stack,
) -> None:
    (logistics,) = await sqlite_stack.start("logistics")

    def change(available: str) -> StockChanged:
        return StockChanged(
            sku="TUBE",
            on_hand="10",
            reserved="2",
            on_hold="0",
            available=available,
            average_cost="1",
            by_warehouse=[],
        )

    await produce(
        logistics,
        "inventory",
        [(change("8"), "TUBE", new_id(), 2), (change("99"), "TUBE", new_id(), 1)],
    )

    async def seen() -> KnownStock | None:
        async with logistics.app.state.database.transaction() as session:
            row = await session.get(KnownStock, "TUBE")
            return row if row is not None and row.source_sequence == 2 else None

    await eventually(seen, timeout=20)
    await produce(logistics, "inventory", [(change("7"), "TUBE", new_id(), 3)])

    async def latest() -> bool:
        async with logistics.app.state.database.transaction() as session:
            row = await session.get(KnownStock, "TUBE")
            return row is not None and row.available == Decimal(7)

    assert await eventually(latest, timeout=20)


def buy(planned_order_id: str, sku: str, quantity: str, due_date: str) -> dict[str, Any]:
    return {
        "planned_order_id": planned_order_id,
        "kind": "buy",
        "sku": sku,
        "quantity": quantity,
        "release_date": "2026-12-01",
        "due_date": due_date,
        "pegged_to": [],
    }


async def test_every_bucket_of_a_run_is_proposed_and_later_runs_add_what_they_plan_on_top(
    sqlite_stack: Stack,
) -> None:
    (logistics,) = await sqlite_stack.start("logistics")
    await suppliers(logistics)
    first = MrpRun(
        run_id="r1",
        horizon_days=30,
        planned_orders=[
            buy("p1", "TUBE", "300", "2026-12-08"),
            buy("p2", "TUBE", "50", "2026-12-15"),
        ],
    )
    await produce(logistics, "production", [(first, "r1", new_id(), 1)])

    async def tubes(quantity: str) -> list[dict[str, Any]] | None:
        found = await drafts(logistics)
        lines = [li["quantity"] for d in found for li in d["lines"] if li["sku"] == "TUBE"]
        return found if lines == [quantity] else None

    [draft] = await eventually(lambda: tubes("350"), timeout=20)
    assert draft["expected_date"] == "2026-12-08"
    # The next run counted the 350 proposed and plans only what grew since: 120 more.
    second = MrpRun(
        run_id="r2", horizon_days=30, planned_orders=[buy("p3", "TUBE", "120", "2026-12-20")]
    )
    await produce(logistics, "production", [(second, "r2", new_id(), 1)])
    await eventually(lambda: tubes("470"), timeout=20)
