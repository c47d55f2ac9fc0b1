"""Delivery orders and shipments over HTTP, and the events they publish (inventory not involved)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from services.logistics.deliveries.models import DeliveryOrder, Shipment, ShipmentLine
from services.logistics.tests.test_purchasing import published
from shared.db import new_id, utcnow
from shared.testing.stack import ServiceClient, Stack

ORDER = {
    "customer": "Velo Shop",
    "ship_to": "12 rue X, Lyon",
    "due_date": "2026-12-05",
    "lines": [{"sku": "BIKE", "quantity": "4"}],
}


async def dispatched(logistics: ServiceClient, due_in_days: int) -> str:
    """A delivery order already shipped (inventory's part done), its shipment id."""
    order = (await logistics.post("/api/v1/delivery-orders", json=ORDER)).json()
    shipment_id = new_id()
    async with logistics.app.state.database.transaction() as session:
        row = await session.get(DeliveryOrder, order["id"])
        assert row is not None
        row.status = "shipped"
        row.due_date = (utcnow() + timedelta(days=due_in_days)).date()
        now = utcnow()
        session.add(
            Shipment(
                id=shipment_id,
                delivery_order_id=order["id"],
                status="dispatched",
                dispatched_at=now,
                updated_at=now,
                lines=[ShipmentLine(line_no=1, sku="BIKE", quantity=Decimal(4))],
            )
        )
    return shipment_id


async def test_delivery_order_is_created_open_and_announced(stack: Stack) -> None:
    (logistics,) = await stack.start("logistics")
    created = await logistics.post("/api/v1/delivery-orders", json=ORDER)
    assert created.status_code == 201, created.text
    order = created.json()
    assert order["status"] == "open" and order["number"].startswith("DO-")
    assert await published(logistics, "logistics.delivery_order.created") == [
        {
            "delivery_order_id": order["id"],
            "number": order["number"],
            "customer": "Velo Shop",
            "ship_to": "12 rue X, Lyon",
            "due_date": "2026-12-05",
            "lines": [{"sku": "BIKE", "quantity": "4"}],
        }
    ]
    listed = (
        await logistics.get("/api/v1/delivery-orders", params={"customer": "Velo Shop"})
    ).json()
    assert listed["total"] == 1


async def test_ship_without_inventory_reachable_changes_nothing(sqlite_stack: Stack) -> None:
    (logistics,) = await sqlite_stack.start("logistics")
    order = (await logistics.post("/api/v1/delivery-orders", json=ORDER)).json()
    refused = await logistics.post(f"/api/v1/delivery-orders/{order['id']}/ship")
    assert refused.status_code >= 400
    assert (await logistics.get(f"/api/v1/delivery-orders/{order['id']}")).json()[
        "status"
    ] == "open"
    assert await published(logistics, "logistics.shipment.dispatched") == []


async def test_shipment_status_changes_are_announced_and_delivered_says_on_time(
    sqlite_stack: Stack,
) -> None:
    (logistics,) = await sqlite_stack.start("logistics")
    shipment_id = await dispatched(logistics, due_in_days=2)
    url = f"/api/v1/shipments/{shipment_id}"
    assert (await logistics.post(f"{url}/status", json={"status": "in_transit"})).status_code == 200
    exception = await logistics.post(
        f"{url}/status", json={"status": "exception", "note": "address unclear"}
    )
    assert exception.json()["status"] == "exception"
    delivered = await logistics.post(f"{url}/status", json={"status": "delivered"})
    assert delivered.json()["on_time"] is True and delivered.json()["lines"] == [
        {"sku": "BIKE", "quantity": "4"}
    ]
    assert (await logistics.post(f"{url}/status", json={"status": "in_transit"})).status_code == 409
    assert len(await published(logistics, "logistics.shipment.in_transit")) == 1
    assert (await published(logistics, "logistics.shipment.exception"))[0][
        "note"
    ] == "address unclear"
    [event] = await published(logistics, "logistics.shipment.delivered")
    assert event["shipment_id"] == shipment_id and event["on_time"] is True
    assert (await logistics.get(url)).json()["status"] == "delivered"


async def test_late_delivery_is_not_on_time(sqlite_stack: Stack) -> None:
    (logistics,) = await sqlite_stack.start("logistics")
    shipment_id = await dispatched(logistics, due_in_days=-1)
    delivered = await logistics.post(
        f"/api/v1/shipments/{shipment_id}/status", json={"status": "delivered"}
    )
    assert delivered.json()["on_time"] is False
