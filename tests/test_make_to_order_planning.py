"""Make to order across services: a customer order at logistics, stock at inventory, MRP in
production, and the planned buy lines back at logistics as a proposed purchase order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.production.catalog.models import KnownItem, KnownStock
from services.production.mrp.models import DeliveryLineView
from shared.db import utcnow
from shared.testing.stack import ServiceClient, Stack, eventually


def day(n: int) -> str:
    return (utcnow().date() + timedelta(days=n)).isoformat()


async def seen(client: ServiceClient, model: type, key: Any) -> bool:
    async with client.app.state.database.transaction() as session:
        return await session.get(model, key) is not None


async def test_a_delivery_order_is_planned_and_its_buy_lines_proposed_to_the_supplier(
    stack: Stack,
) -> None:
    inventory, production, logistics = await stack.start("inventory", "production", "logistics")
    for sku, kind, lead in (("BIKE", "finished", 2), ("WHEEL", "component", 5)):
        created = await inventory.post(
            "/api/v1/items",
            json={"sku": sku, "name": sku, "kind": kind, "lead_time_days": lead},
        )
        assert created.status_code == 201, created.text
    received = await inventory.post(
        "/api/v1/movements",
        json={
            "kind": "receipt",
            "sku": "WHEEL",
            "quantity": "3",
            "warehouse": "MAIN",
            "unit_cost": "4",
        },
    )
    assert received.status_code == 201, received.text
    for sku in ("BIKE", "WHEEL"):
        await eventually(lambda sku=sku: seen(production, KnownItem, sku), timeout=30)
    bom = await production.post(
        "/api/v1/boms",
        json={"product_sku": "BIKE", "components": [{"sku": "WHEEL", "quantity": 2}]},
    )
    assert bom.status_code == 201, bom.text

    supplier = await logistics.post(
        "/api/v1/suppliers", json={"code": "ACME", "name": "Acme", "lead_time_days": 5}
    )
    assert supplier.status_code == 201, supplier.text

    async def sells() -> bool:
        response = await logistics.put(
            "/api/v1/suppliers/ACME/items",
            json={"items": [{"sku": "WHEEL", "unit_price": "4", "preferred": True}]},
        )
        return response.status_code == 200

    await eventually(sells, timeout=30)
    delivery = await logistics.post(
        "/api/v1/delivery-orders",
        json={
            "customer": "Velo Shop",
            "ship_to": "Lyon",
            "due_date": day(14),
            "lines": [{"sku": "BIKE", "quantity": "5"}],
        },
    )
    assert delivery.status_code == 201, delivery.text
    order = delivery.json()["id"]
    await eventually(lambda: seen(production, DeliveryLineView, (order, "BIKE")), timeout=30)
    await eventually(lambda: seen(production, KnownStock, "WHEEL"), timeout=30)

    run = await production.post("/api/v1/mrp/runs", json={"horizon_days": 28})
    assert run.status_code == 201, run.text
    # BIKE: 5 due in two weeks, 2 days to make; WHEEL: 10 then, less 3 in stock, due that week.
    assert [
        (p["sku"], p["kind"], p["quantity"], p["release_date"], p["due_date"], p["pegged_to"])
        for p in run.json()["planned_orders"]
    ] == [
        ("BIKE", "make", "5", day(12), day(14), [order]),
        ("WHEEL", "buy", "7", day(2), day(7), [order]),
    ]

    async def proposed() -> list[dict[str, Any]]:
        response = await logistics.get("/api/v1/purchase-orders", params={"status": "draft"})
        return response.json()["items"]

    [purchase] = await eventually(proposed, timeout=30)
    assert purchase["supplier"] == "ACME"
    assert [(li["sku"], li["quantity"]) for li in purchase["lines"]] == [("WHEEL", "7")]
    assert purchase["expected_date"] == day(7)
