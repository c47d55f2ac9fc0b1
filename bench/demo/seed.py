"""Seed the factory through the public APIs; safe to run again on the same services."""

from __future__ import annotations

from collections.abc import Callable

from bench.demo import factory
from bench.demo.api import Plant, until

CREATED_OR_THERE = (201, 409)


async def seed(plant: Plant, say: Callable[[str], None]) -> None:
    """Departments, work centers, items, BOMs, routings, inspection plans, suppliers, stock."""
    for department in factory.DEPARTMENTS:
        await plant.post("operations", "/api/v1/departments", department, expect=CREATED_OR_THERE)
    for center in factory.WORK_CENTERS:
        body = {**center, "calendar": factory.TWO_SHIFTS}
        await plant.post("operations", "/api/v1/work-centers", body, expect=CREATED_OR_THERE)
    say(f"{len(factory.WORK_CENTERS)} work centers on two shifts, Monday to Friday")
    for item in factory.ITEMS:
        await plant.post("inventory", "/api/v1/items", item, expect=CREATED_OR_THERE)
    say(f"{len(factory.ITEMS)} items in the SKU master")
    for bom in factory.BOMS:
        # Production learns items from inventory's events: wait until it accepts the BOM.
        await until(
            f"production to know the components of {bom['product_sku']}",
            lambda bom=bom: plant.post("production", "/api/v1/boms", bom),
        )
    for routing in factory.ROUTINGS:
        await until(
            f"production to know the work centers of {routing['product_sku']}",
            lambda routing=routing: plant.post("production", "/api/v1/routings", routing),
        )
    for plan in factory.INSPECTION_PLANS:
        await plant.post("production", "/api/v1/inspection-plans", plan)
    say("BOMs three levels deep (bike, frame, welded frame), routings and an inspection plan")
    for supplier in factory.SUPPLIERS:
        items = supplier["items"]
        body = {k: v for k, v in supplier.items() if k != "items"}
        await plant.post("logistics", "/api/v1/suppliers", body, expect=CREATED_OR_THERE)
        lines = [
            {"sku": sku, "unit_price": price, "minimum_quantity": minimum, "preferred": True}
            for sku, price, minimum in items  # type: ignore[misc]
        ]
        await until(
            f"logistics to know the items of {body['code']}",
            lambda code=body["code"], lines=lines: plant.call(
                "logistics", "PUT", f"/api/v1/suppliers/{code}/items", {"items": lines}
            ),
        )
    await plant.post(
        "logistics",
        "/api/v1/carriers",
        {"code": "DHL", "name": "DHL Freight"},
        expect=CREATED_OR_THERE,
    )
    for sku, quantity in factory.OPENING_STOCK:
        await plant.post(
            "inventory",
            "/api/v1/movements",
            {
                "kind": "receipt",
                "sku": sku,
                "quantity": quantity,
                "warehouse": "MAIN",
                "reference": "opening stock",
            },
        )
    say(
        f"{len(factory.SUPPLIERS)} suppliers with prices; opening stock of "
        f"{len(factory.OPENING_STOCK)} raw materials received"
    )
