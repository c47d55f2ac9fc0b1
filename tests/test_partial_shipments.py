"""A delivery order ships in parts: each part is issued from inventory on its own, the rest stays
open as the backorder that MRP keeps planning, the rest can be cancelled with a reason, and OTIF
counts a delivery that came in parts as in full only when all of it came."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from services.production.mrp.models import DeliveryLineView
from shared.testing.stack import ServiceClient, Stack, eventually
from tests.test_shipping_beside_inventory import issues_of, new_order, stocked


async def ship(logistics: ServiceClient, order_id: str, **body: Any) -> Any:
    return await logistics.post(f"/api/v1/delivery-orders/{order_id}/ship", json=body or None)


async def open_demand(production: ServiceClient, order_id: str) -> Decimal | None:
    async with production.app.state.database.transaction() as session:
        row = await session.scalar(
            select(DeliveryLineView).where(DeliveryLineView.delivery_order_id == order_id)
        )
    if row is None or row.ordered is None:
        return None
    return row.ordered - row.shipped


async def test_a_part_ships_and_the_rest_stays_open_as_the_backorder(stack: Stack) -> None:
    inventory, logistics, production = await stack.start("inventory", "logistics", "production")
    await stocked(inventory, "20")
    order_id = await new_order(logistics)  # 4 bikes

    first = await ship(logistics, order_id, lines=[{"sku": "BIKE", "quantity": "1"}])
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["delivery_order"]["status"] == "partially_shipped"
    (line,) = body["delivery_order"]["lines"]
    assert (line["quantity"], line["shipped_quantity"], line["open_quantity"]) == ("4", "1", "3")
    assert body["shipment"]["lines"] == [{"sku": "BIKE", "quantity": "1"}]
    assert body["shipment"]["status"] == "dispatched"
    assert await issues_of(inventory, order_id) == [("issue", "1")]
    # MRP still sees the three bikes of the backorder as demand.
    assert await eventually(lambda: _equals(open_demand(production, order_id), Decimal(3)))

    # Without a body, the rest ships.
    rest = await ship(logistics, order_id)
    assert rest.status_code == 200, rest.text
    assert rest.json()["delivery_order"]["status"] == "shipped"
    assert rest.json()["shipment"]["lines"] == [{"sku": "BIKE", "quantity": "3"}]
    assert sorted(await issues_of(inventory, order_id)) == [("issue", "1"), ("issue", "3")]
    level = (await inventory.get("/api/v1/stock/BIKE")).json()
    assert (level["on_hand"], level["reserved"]) == ("16", "0")
    listed = await logistics.get("/api/v1/shipments", params={"delivery_order": order_id})
    assert listed.json()["total"] == 2


async def _equals(value: Any, wanted: Any) -> bool:
    return bool(await value == wanted)


async def test_a_part_beyond_what_is_open_is_refused_and_changes_nothing(stack: Stack) -> None:
    inventory, logistics = await stack.start("inventory", "logistics")
    await stocked(inventory, "20")
    order_id = await new_order(logistics)
    assert (
        await ship(logistics, order_id, lines=[{"sku": "BIKE", "quantity": "3"}])
    ).status_code == 200

    for lines, wanted in (
        ([{"sku": "BIKE", "quantity": "2"}], "Only 1 of BIKE is still open"),
        ([{"sku": "WHEEL", "quantity": "1"}], "no line for WHEEL"),
        ([{"sku": "BIKE", "quantity": "1"}, {"sku": "BIKE", "quantity": "1"}], "appears twice"),
    ):
        refused = await ship(logistics, order_id, lines=lines)
        assert refused.status_code in (409, 422), refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        if refused.status_code == 409:
            assert wanted in refused.json()["detail"]
    order = (await logistics.get(f"/api/v1/delivery-orders/{order_id}")).json()
    assert order["lines"][0]["shipped_quantity"] == "3"
    assert await issues_of(inventory, order_id) == [("issue", "3")]


async def test_a_part_inventory_cannot_give_is_refused_and_the_backorder_is_unchanged(
    stack: Stack,
) -> None:
    inventory, logistics = await stack.start("inventory", "logistics")
    await stocked(inventory, "2")
    order_id = await new_order(logistics)
    refused = await ship(logistics, order_id, lines=[{"sku": "BIKE", "quantity": "3"}])
    assert refused.status_code == 409, refused.text
    assert refused.json()["shortages"]
    order = (await logistics.get(f"/api/v1/delivery-orders/{order_id}")).json()
    assert order["status"] == "open"
    assert order["lines"][0]["shipped_quantity"] == "0"
    listed = await logistics.get("/api/v1/shipments", params={"delivery_order": order_id})
    assert listed.json()["total"] == 0
    assert (
        await ship(logistics, order_id, lines=[{"sku": "BIKE", "quantity": "2"}])
    ).status_code == 200


async def test_two_parts_racing_for_the_last_units_ship_them_once(stack: Stack) -> None:
    inventory, logistics = await stack.start("inventory", "logistics")
    await stocked(inventory, "20")
    order_id = await new_order(logistics)
    answers = await asyncio.gather(
        *(ship(logistics, order_id, lines=[{"sku": "BIKE", "quantity": "3"}]) for _ in range(2))
    )
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    assert await issues_of(inventory, order_id) == [("issue", "3")]


async def test_the_rest_is_cancelled_with_a_reason_and_mrp_plans_it_no_more(stack: Stack) -> None:
    inventory, logistics, production = await stack.start("inventory", "logistics", "production")
    await stocked(inventory, "20")
    order_id = await new_order(logistics)
    shipped = await ship(logistics, order_id, lines=[{"sku": "BIKE", "quantity": "1"}])
    assert shipped.status_code == 200, shipped.text
    cancelled = await logistics.post(
        f"/api/v1/delivery-orders/{order_id}/cancel", json={"reason": "Customer takes one only"}
    )
    assert cancelled.status_code == 200, cancelled.text
    order = cancelled.json()
    assert (order["status"], order["cancel_reason"]) == ("closed", "Customer takes one only")
    assert order["lines"][0]["open_quantity"] == "0"
    assert await eventually(lambda: _equals(open_demand(production, order_id), Decimal(0)))
    again = await ship(logistics, order_id)
    assert again.status_code == 409, again.text


async def test_otif_counts_a_delivery_in_parts_in_full_only_when_all_of_it_came(
    stack: Stack,
) -> None:
    inventory, logistics = await stack.start("inventory", "logistics")
    await stocked(inventory, "20")
    order_id = await new_order(logistics)
    first = await ship(logistics, order_id, lines=[{"sku": "BIKE", "quantity": "1"}])
    shipment = first.json()["shipment"]["id"]
    delivered = await logistics.post(
        f"/api/v1/shipments/{shipment}/status", json={"status": "delivered"}
    )
    assert delivered.status_code == 200, delivered.text
    order = (await logistics.get(f"/api/v1/delivery-orders/{order_id}")).json()
    assert order["status"] == "partially_shipped"

    def customer_figures(body: dict[str, Any]) -> dict[str, Any]:
        return next(c for c in body["customers"] if c["customer"] == "Velo Shop")

    otif = (await logistics.get("/api/v1/performance/deliveries")).json()
    figures = customer_figures(otif)
    assert (figures["deliveries"], figures["in_full"]) == (1, 0)

    rest = await ship(logistics, order_id)
    second = rest.json()["shipment"]["id"]
    await logistics.post(f"/api/v1/shipments/{second}/status", json={"status": "delivered"})
    order = (await logistics.get(f"/api/v1/delivery-orders/{order_id}")).json()
    assert order["status"] == "delivered"
    figures = customer_figures((await logistics.get("/api/v1/performance/deliveries")).json())
    assert (figures["deliveries"], figures["in_full"]) == (1, 1)
