"""Release explodes the BOM version effective on the order's due date."""

from __future__ import annotations

from datetime import timedelta

from services.production.tests.catalog_seed import seed_items
from services.production.tests.test_orders import new_order
from shared.db import utcnow
from shared.testing.stack import ServiceClient, Stack


def day(n: int) -> str:
    return (utcnow().date() + timedelta(days=n)).isoformat()


async def publish_bom(
    production: ServiceClient, effective_from: str, *components: tuple[str, str]
) -> dict[str, object]:
    response = await production.post(
        "/api/v1/boms",
        json={
            "product_sku": "LAMP",
            "effective_from": effective_from,
            "components": [{"sku": s, "quantity": q} for s, q in components],
        },
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def released(production: ServiceClient, due_date: str) -> dict[str, object]:
    order = await new_order(production, product_sku="LAMP", quantity="4", due_date=due_date)
    response = await production.post(f"/api/v1/orders/{order['id']}/release")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_release_takes_the_bom_version_in_effect_on_the_due_date(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "LAMP", "SHADE", "BULB", "LED")
    old = await publish_bom(production, day(-30), ("SHADE", "1"), ("BULB", "2"))
    new = await publish_bom(production, day(10), ("SHADE", "1"), ("LED", "3"))

    before = await released(production, day(9))
    on_the_day = await released(production, day(10))
    after = await released(production, day(40))
    # Made now, past its due date: today's version.
    overdue = await released(production, day(-5))

    def used(order: dict[str, object]) -> tuple[object, object, object]:
        components = order["components"]
        assert isinstance(components, list)
        return (
            order["bom_id"],
            order["bom_version"],
            sorted((c["sku"], c["quantity"]) for c in components),
        )

    old_lines = [("BULB", "8"), ("SHADE", "4")]
    new_lines = [("LED", "12"), ("SHADE", "4")]
    assert used(before) == (old["id"], 1, old_lines)
    assert used(on_the_day) == (new["id"], 2, new_lines)
    assert used(after) == (new["id"], 2, new_lines)
    assert used(overdue) == (old["id"], 1, old_lines)


async def test_an_order_due_before_any_bom_version_is_not_released(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "LAMP", "SHADE")
    await publish_bom(production, day(30), ("SHADE", "1"))
    order = await new_order(production, product_sku="LAMP", quantity="4", due_date=day(20))
    refused = await production.post(f"/api/v1/orders/{order['id']}/release")
    assert refused.status_code == 409
    assert day(20) in refused.json()["detail"]
    assert (await production.get(f"/api/v1/orders/{order['id']}")).json()["status"] == "planned"
