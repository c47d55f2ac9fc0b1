"""Events delivered again, out of order and as stale copies change nothing a second time."""

from __future__ import annotations

import json
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from shared.db import Database, new_id
from shared.testing.consistency import assert_consistent, stack_databases
from shared.testing.stack import ServiceClient, Stack, eventually


async def _outbox(client: ServiceClient) -> list[dict[str, Any]]:
    async with client.app.state.database.transaction() as session:
        rows = await session.execute(text("SELECT envelope FROM outbox ORDER BY id"))
        return [json.loads(row[0]) for row in rows]


async def _inbox_ids(database: Database) -> set[str]:
    async with database.transaction() as session:
        return {row[0] for row in await session.execute(text("SELECT event_id FROM inbox"))}


async def _publish(stack: Stack, service: str, envelopes: list[dict[str, Any]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap)
    await producer.start()
    try:
        topic = f"{stack.topic_prefix}.{service}.events"
        for envelope in envelopes:
            await producer.send_and_wait(
                topic, key=envelope["subject"].encode(), value=json.dumps(envelope).encode()
            )
    finally:
        await producer.stop()


async def _received_in_two_parts(logistics: ServiceClient) -> list[str]:
    assert (
        await logistics.post("/api/v1/suppliers", json={"code": "ACME", "name": "Acme"})
    ).status_code == 201
    order = await logistics.post(
        "/api/v1/purchase-orders",
        json={"supplier": "ACME", "lines": [{"sku": "TUBE", "quantity": "10", "unit_price": "2"}]},
    )
    assert order.status_code == 201, order.text
    receipts = []
    for quantity in ("4", "6"):
        received = await logistics.post(
            f"/api/v1/purchase-orders/{order.json()['id']}/receive",
            json={"warehouse": "MAIN", "lines": [{"sku": "TUBE", "quantity": quantity}]},
        )
        assert received.status_code in (200, 201), received.text
        receipts.append(received.json()["receipt"]["id"])
    return receipts


async def test_redelivered_reordered_and_stale_events_are_applied_once(stack: Stack) -> None:
    inventory, production, logistics = await stack.start("inventory", "production", "logistics")
    await inventory.post("/api/v1/items", json={"sku": "TUBE", "name": "Tube", "kind": "raw"})
    for version, name in ((1, "Tube 25"), (2, "Tube 25 mm")):
        renamed = await inventory.patch(
            "/api/v1/items/TUBE", json={"name": name}, headers={"If-Match": f'"{version}"'}
        )
        assert renamed.status_code == 200
    receipts = await _received_in_two_parts(logistics)

    async def stocked() -> bool:
        stock = await inventory.get("/api/v1/stock/TUBE")
        return stock.status_code == 200 and stock.json()["on_hand"] == "10"

    await eventually(stocked, timeout=30)
    databases = stack_databases([production, logistics])
    await assert_consistent(databases, {"inventory": inventory})

    inventory_events = await _outbox(inventory)
    logistics_events = await _outbox(logistics)
    # Every event again, newest first: duplicates, and older versions after newer ones.
    await _publish(stack, "inventory", inventory_events[::-1])
    await _publish(stack, "logistics", logistics_events[::-1])
    # Stale copies under new ids (what a replay from another source would look like).
    copies = {
        "inventory": [{**e, "id": new_id()} for e in inventory_events[::-1]],
        "logistics": [{**e, "id": new_id()} for e in logistics_events[::-1]],
    }
    await _publish(stack, "inventory", copies["inventory"])
    await _publish(stack, "logistics", copies["logistics"])

    # The copies come after the duplicates on each partition: once a consumer has them all,
    # it has seen every duplicate too.
    watched = {
        production: {"inventory.item.created", "inventory.item.updated"},
        logistics: {"inventory.item.created", "inventory.item.updated", "inventory.stock.changed"},
        inventory: {"logistics.purchase_order.received"},
    }
    for consumer, types in watched.items():
        wanted = {e["id"] for group in copies.values() for e in group if e["type"] in types}
        assert wanted

        async def caught_up(consumer: ServiceClient = consumer, wanted: set[str] = wanted) -> bool:
            return wanted <= await _inbox_ids(consumer.app.state.database)

        await eventually(caught_up, timeout=60)

    stock = (await inventory.get("/api/v1/stock/TUBE")).json()
    assert stock["on_hand"] == "10"
    movements = (
        await inventory.get("/api/v1/movements", params={"sku": "TUBE", "kind": "receipt"})
    ).json()
    assert sorted(m["reference"] for m in movements["items"]) == sorted(receipts)
    await assert_consistent(databases, {"inventory": inventory})
    item = (await inventory.get("/api/v1/items/TUBE")).json()
    assert item["name"] == "Tube 25 mm" and item["version"] == 3
