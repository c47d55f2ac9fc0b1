"""Purchase receipts in logistics become inventory receipts over the broker, once each."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from shared.testing.stack import ServiceClient, Stack, eventually


async def _receipts(inventory: ServiceClient) -> list[dict[str, Any]]:
    page = await inventory.get("/api/v1/movements", params={"sku": "TUBE", "kind": "receipt"})
    assert page.status_code == 200, page.text
    return page.json()["items"]  # type: ignore[no-any-return]


async def _send_again(logistics: ServiceClient, event_type: str) -> int:
    """Put logistics' published envelopes of a type on its topic once more, byte for byte."""
    async with logistics.app.state.database.transaction() as session:
        rows = (
            await session.execute(
                text("SELECT key, envelope FROM outbox WHERE event_type = :t ORDER BY id"),
                {"t": event_type},
            )
        ).all()
    settings = logistics.settings
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    await producer.start()
    try:
        for key, envelope in rows:
            raw = envelope if isinstance(envelope, bytes) else str(envelope).encode()
            await producer.send_and_wait(
                settings.events_topic("logistics"), raw, key=str(key).encode()
            )
    finally:
        await producer.stop()
    return len(rows)


async def test_a_purchase_order_received_in_two_parts_is_two_inventory_receipts_even_redelivered(
    stack: Stack,
) -> None:
    inventory, logistics = await stack.start("inventory", "logistics")
    created = await inventory.post(
        "/api/v1/items",
        json={"sku": "TUBE", "name": "Tube", "kind": "raw", "standard_cost": "3", "uom": "m"},
    )
    assert created.status_code == 201, created.text
    supplier = {"code": "ACME", "name": "Acme", "lead_time_days": 3}
    assert (await logistics.post("/api/v1/suppliers", json=supplier)).status_code == 201

    async def logistics_knows_tube() -> bool:
        order = {
            "supplier": "ACME",
            "lines": [{"sku": "TUBE", "quantity": "100", "unit_price": "3.20"}],
        }
        response = await logistics.post("/api/v1/purchase-orders", json=order)
        return response.json() if response.status_code == 201 else False

    order = await eventually(logistics_knows_tube)
    url = f"/api/v1/purchase-orders/{order['id']}/receive"
    for quantity, lot in (("60", "L1"), ("40", "L2")):
        received = await logistics.post(
            url,
            json={
                "warehouse": "MAIN",
                "lines": [{"sku": "TUBE", "quantity": quantity, "lot": lot}],
            },
        )
        assert received.status_code == 200, received.text

    async def two_receipts() -> list[dict[str, Any]] | None:
        found = await _receipts(inventory)
        return found if len(found) == 2 else None

    receipts = await eventually(two_receipts, timeout=30)
    assert sorted((r["quantity"], r["lot"], r["unit_cost"]) for r in receipts) == [
        ("40", "L2", "3.2"),
        ("60", "L1", "3.2"),
    ]
    consumer = inventory.app.state.consumer
    duplicates_before = consumer.duplicates
    assert await _send_again(logistics, "logistics.purchase_order.received") == 2

    async def copies_seen() -> bool:
        return bool(consumer.duplicates >= duplicates_before + 2)

    await eventually(copies_seen, timeout=30)
    stock = (await inventory.get("/api/v1/stock/TUBE")).json()
    assert len(await _receipts(inventory)) == 2
    assert Decimal(stock["on_hand"]) == 100
