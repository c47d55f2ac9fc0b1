"""The broker dies mid-flow and comes back empty: what was accepted meanwhile takes effect once."""

from __future__ import annotations

import asyncio

from shared.embedded_broker import EmbeddedBroker
from shared.testing.consistency import assert_applied_once, assert_consistent, stack_databases
from shared.testing.stack import ServiceClient, Stack, eventually

ITEM_EVENTS = ("inventory.item.created", "inventory.item.updated")


async def _create_items(inventory: ServiceClient, prefix: str, count: int) -> None:
    for n in range(count):
        created = await inventory.post(
            "/api/v1/items",
            json={"sku": f"{prefix}-{n}", "name": f"{prefix} {n}", "kind": "raw"},
            headers={"Idempotency-Key": f"{prefix}-{n}"},
        )
        assert created.status_code == 201, created.text


async def _receive_in_two_parts(logistics: ServiceClient) -> None:
    supplier = await logistics.post("/api/v1/suppliers", json={"code": "ACME", "name": "Acme"})
    assert supplier.status_code == 201, supplier.text
    order = await logistics.post(
        "/api/v1/purchase-orders",
        json={"supplier": "ACME", "lines": [{"sku": "B-0", "quantity": "10", "unit_price": "2"}]},
    )
    assert order.status_code == 201, order.text
    for part, quantity in enumerate(("4", "6")):
        received = await logistics.post(
            f"/api/v1/purchase-orders/{order.json()['id']}/receive",
            json={"warehouse": "MAIN", "lines": [{"sku": "B-0", "quantity": quantity}]},
            headers={"Idempotency-Key": f"receipt-{part}"},
        )
        assert received.status_code in (200, 201), received.text


async def _outbox_drained(client: ServiceClient) -> bool:
    return await client.app.state.relay.pending() == 0


async def test_requests_accepted_while_the_broker_is_down_take_effect_once_after_it_returns(
    private_broker: EmbeddedBroker, private_stack: Stack
) -> None:
    inventory, production, logistics = await private_stack.start(
        "inventory", "production", "logistics"
    )
    databases = stack_databases([inventory, production, logistics])
    owners = {"inventory": inventory}
    await _create_items(inventory, "A", 3)
    await assert_consistent(databases, owners)

    private_broker.stop()
    # Writes go on being accepted: their events wait in each service's outbox.
    await _create_items(inventory, "B", 12)
    for n in range(3):
        renamed = await inventory.patch(
            f"/api/v1/items/A-{n}",
            json={"name": f"A {n} while down", "standard_cost": "1.5"},
            headers={"If-Match": '"1"'},
        )
        assert renamed.status_code == 200, renamed.text
    await _receive_in_two_parts(logistics)
    await asyncio.sleep(1.0)
    private_broker.start()  # the memory-only build comes back with no topics and no offsets

    # Everything accepted while the broker was down is published once it is back.
    for writer in (inventory, logistics):
        await eventually(lambda writer=writer: _outbox_drained(writer), timeout=60)
    # Every consumer, rejoining the restarted broker, catches up on all of it.
    await assert_consistent(databases, owners, timeout=20)
    for consumer in (production, logistics):
        await assert_applied_once(
            inventory.app.state.database, consumer.app.state.database, ITEM_EVENTS, timeout=30
        )
    await eventually(lambda: _outbox_drained(logistics), timeout=30)
    # A replayed request changes nothing either.
    await _create_items(inventory, "B", 1)
    items = (await inventory.get("/api/v1/items", params={"limit": 500})).json()
    assert items["total"] == 15
