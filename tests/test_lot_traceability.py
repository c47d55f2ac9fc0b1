"""A lot traced across the services: steel bought from a supplier in logistics, made into a frame
lot by a production order, shipped on a delivery order; the frame's trace goes down to the
supplier and purchase order, the steel's up to the delivery."""

from __future__ import annotations

from typing import Any

from shared.testing.stack import ServiceClient, Stack, eventually
from tests.test_production_order_saga import knows, materials

ITEMS = {"STEEL": "raw", "FRAME": "finished"}


async def bought(inventory: ServiceClient, logistics: ServiceClient) -> dict[str, Any]:
    supplier = {"code": "ACME", "name": "Acme", "lead_time_days": 3}
    assert (await logistics.post("/api/v1/suppliers", json=supplier)).status_code == 201

    async def ordered() -> dict[str, Any] | bool:
        order = {
            "supplier": "ACME",
            "lines": [{"sku": "STEEL", "quantity": "10", "unit_price": "2"}],
        }
        response = await logistics.post("/api/v1/purchase-orders", json=order)
        return response.json() if response.status_code == 201 else False  # type: ignore[no-any-return]

    order: dict[str, Any] = await eventually(ordered)
    received = await logistics.post(
        f"/api/v1/purchase-orders/{order['id']}/receive",
        json={"warehouse": "MAIN", "lines": [{"sku": "STEEL", "quantity": "10", "lot": "S-1"}]},
    )
    assert received.status_code == 200, received.text

    async def in_stock() -> bool:
        body = (await inventory.get("/api/v1/stock/STEEL")).json()
        return bool(body["on_hand"] == "10")

    await eventually(in_stock, timeout=30)
    return order


async def test_a_lot_is_traced_from_the_supplier_to_the_customer_across_services(
    stack: Stack,
) -> None:
    inventory, production, logistics = await stack.start("inventory", "production", "logistics")
    for sku, kind in ITEMS.items():
        body = {"sku": sku, "name": sku, "kind": kind, "standard_cost": "1", "tracking": "lot"}
        created = await inventory.post("/api/v1/items", json=body)
        assert created.status_code == 201, created.text
    purchase = await bought(inventory, logistics)
    for sku in ITEMS:
        await eventually(lambda sku=sku: knows(production, sku))
    bom = await production.post(
        "/api/v1/boms",
        json={"product_sku": "FRAME", "components": [{"sku": "STEEL", "quantity": 2}]},
    )
    assert bom.status_code == 201, bom.text
    created = await production.post(
        "/api/v1/orders", json={"product_sku": "FRAME", "quantity": "3", "due_date": "2026-12-20"}
    )
    assert created.status_code == 201, created.text
    order = created.json()
    assert (await production.post(f"/api/v1/orders/{order['id']}/release")).status_code == 200
    await materials(production, order["id"], "reserved")
    done = await production.post(
        f"/api/v1/orders/{order['id']}/complete", json={"good_quantity": "3", "lot": "F-1"}
    )
    assert done.status_code == 200, done.text

    async def made() -> bool:
        return bool((await inventory.get("/api/v1/stock/FRAME")).json()["on_hand"] == "3")

    await eventually(made, timeout=30)

    async def delivery() -> dict[str, Any] | bool:
        response = await logistics.post(
            "/api/v1/delivery-orders",
            json={
                "customer": "Velo Shop",
                "ship_to": "12 rue X, Lyon",
                "due_date": "2026-12-22",
                "lines": [{"sku": "FRAME", "quantity": "2"}],
            },
        )
        return response.json() if response.status_code == 201 else False  # type: ignore[no-any-return]

    shipping: dict[str, Any] = await eventually(delivery)
    shipped = await logistics.post(f"/api/v1/delivery-orders/{shipping['id']}/ship")
    assert shipped.status_code == 200, shipped.text

    down = (
        await inventory.get("/api/v1/lots/FRAME/F-1/trace", params={"direction": "down"})
    ).json()
    [steel] = down["tree"]["children"]
    assert (steel["sku"], steel["lot"], steel["quantity"]) == ("STEEL", "S-1", "6")
    [receipt] = steel["movements"]
    assert (receipt["supplier"], receipt["purchase_order_number"]) == ("ACME", purchase["number"])
    assert receipt["purchase_order_id"] == purchase["id"] and receipt["received_at"]

    up = (await inventory.get("/api/v1/lots/STEEL/S-1/trace", params={"direction": "up"})).json()
    [frame] = up["tree"]["children"]
    assert (frame["sku"], frame["lot"], frame["quantity"]) == ("FRAME", "F-1", "3")
    assert [(m["kind"], m["reference"], m["quantity"]) for m in frame["movements"]] == [
        ("issue", shipping["id"], "2")
    ]
