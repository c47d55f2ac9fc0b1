"""Logistics ships through inventory's reservations without holding its own writers up: two
requests shipping one order issue the goods once, and other writes go on while inventory is slow."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy import text

from shared.peers import peers_of
from shared.testing.stack import ServiceClient, Stack

ORDER = {
    "customer": "Velo Shop",
    "ship_to": "12 rue X, Lyon",
    "due_date": "2026-12-05",
    "lines": [{"sku": "BIKE", "quantity": "4"}],
}


async def stocked(inventory: ServiceClient, quantity: str) -> None:
    created = await inventory.post(
        "/api/v1/items", json={"sku": "BIKE", "name": "Bike", "kind": "finished"}
    )
    assert created.status_code == 201, created.text
    received = await inventory.post(
        "/api/v1/movements",
        json={"kind": "receipt", "sku": "BIKE", "quantity": quantity, "warehouse": "MAIN"},
    )
    assert received.status_code == 201, received.text


async def new_order(logistics: ServiceClient) -> str:
    created = await logistics.post("/api/v1/delivery-orders", json=ORDER)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def issues_of(inventory: ServiceClient, order_id: str) -> list[tuple[str, str]]:
    ledger = (await inventory.get("/api/v1/movements", params={"reference": order_id})).json()
    return [(m["kind"], m["quantity"]) for m in ledger["items"]]


async def shipments_of(logistics: ServiceClient, order_id: str) -> int:
    listed = await logistics.get("/api/v1/shipments", params={"delivery_order": order_id})
    return int(listed.json()["total"])


async def test_two_requests_shipping_one_order_issue_its_goods_once(stack: Stack) -> None:
    inventory, logistics = await stack.start("inventory", "logistics")
    await stocked(inventory, "20")
    unpicked = await new_order(logistics)
    picked = await new_order(logistics)
    assert (await logistics.post(f"/api/v1/delivery-orders/{picked}/pick")).status_code == 200

    for order_id in (unpicked, picked):
        answers = await asyncio.gather(
            *(logistics.post(f"/api/v1/delivery-orders/{order_id}/ship") for _ in range(2))
        )
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        assert await shipments_of(logistics, order_id) == 1
        assert await issues_of(inventory, order_id) == [("issue", "4")]
        order = (await logistics.get(f"/api/v1/delivery-orders/{order_id}")).json()
        assert order["status"] == "shipped"

    level = (await inventory.get("/api/v1/stock/BIKE")).json()
    assert (level["on_hand"], level["reserved"]) == ("12", "0")


class ObservedTransport(httpx.AsyncBaseTransport):
    """Passes calls on to a service unchanged, noting that one was made."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.called = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.called.set()
        return await self.inner.handle_async_request(request)


@asynccontextmanager
async def busy_writer(service: ServiceClient) -> AsyncIterator[None]:
    """Another writer in the service's database: the service's own writes wait until it ends."""
    database: Any = service.app.state.database
    async with database.transaction() as session:
        if database.is_sqlite:
            await session.execute(text("SELECT 1"))
        else:
            await session.execute(text("LOCK TABLE idempotency_keys IN EXCLUSIVE MODE"))
        yield


async def test_logistics_takes_other_writes_while_a_ship_waits_on_inventory(stack: Stack) -> None:
    inventory, logistics = await stack.start("inventory", "logistics")
    await stocked(inventory, "10")
    order_id = await new_order(logistics)
    peers = peers_of(logistics.app)
    observed = ObservedTransport(peers.transports["inventory"])
    peers.transports["inventory"] = observed

    async with busy_writer(inventory):
        shipping = asyncio.create_task(
            logistics.post(
                f"/api/v1/delivery-orders/{order_id}/ship", headers={"Idempotency-Key": "s1"}
            )
        )
        await asyncio.wait_for(observed.called.wait(), 30)
        # Bounded only so that a logistics stalled behind the ship fails instead of hanging.
        other = await asyncio.wait_for(new_order(logistics), 30)
        assert not shipping.done()
    shipped = await shipping
    assert shipped.status_code == 200, shipped.text
    assert await issues_of(inventory, order_id) == [("issue", "4")]
    assert (await logistics.get(f"/api/v1/delivery-orders/{other}")).json()["status"] == "open"
