"""Inventory's item events keep production's and logistics' views, over the real broker."""

from __future__ import annotations

from sqlalchemy import select

from services.logistics.catalog.models import KnownItem as LogisticsItem
from services.production.catalog.models import KnownItem as ProductionItem
from shared.testing.stack import ServiceClient, Stack, eventually


async def _view_of(client: ServiceClient, model: type, sku: str) -> object | None:
    async with client.app.state.database.transaction() as session:
        return (await session.execute(select(model).where(model.sku == sku))).scalar_one_or_none()


async def test_production_refuses_a_bom_with_components_it_never_heard_of(stack: Stack) -> None:
    inventory, production, logistics = await stack.start("inventory", "production", "logistics")
    for sku, kind in (("BIKE", "finished"), ("WHEEL", "component")):
        created = await inventory.post(
            "/api/v1/items", json={"sku": sku, "name": sku, "kind": kind}
        )
        assert created.status_code == 201

    await eventually(lambda: _view_of(production, ProductionItem, "WHEEL"))
    await eventually(lambda: _view_of(logistics, LogisticsItem, "WHEEL"))

    refused = await production.post(
        "/api/v1/boms",
        json={
            "product_sku": "BIKE",
            "components": [{"sku": "WHEEL", "quantity": 2}, {"sku": "GHOST", "quantity": 1}],
        },
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["unknown_skus"] == ["GHOST"]
    assert "GHOST" in refused.json()["detail"]

    accepted = await production.post(
        "/api/v1/boms",
        json={"product_sku": "BIKE", "components": [{"sku": "WHEEL", "quantity": 2}]},
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["components"] == [{"sku": "WHEEL", "quantity": "2", "scrap_factor": "0"}]


async def test_item_update_reaches_the_views(stack: Stack) -> None:
    inventory, production = await stack.start("inventory", "production")
    await inventory.post("/api/v1/items", json={"sku": "BOLT", "name": "Bolt", "kind": "raw"})
    changed = await inventory.patch(
        "/api/v1/items/BOLT",
        json={"name": "Bolt M6", "standard_cost": "0.12"},
        headers={"If-Match": '"1"'},
    )
    assert changed.status_code == 200

    async def renamed() -> bool:
        item = await _view_of(production, ProductionItem, "BOLT")
        return item is not None and item.name == "Bolt M6" and str(item.standard_cost) == "0.120000"

    await eventually(renamed)
