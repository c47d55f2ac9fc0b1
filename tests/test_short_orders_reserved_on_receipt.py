"""A released order short of components is reserved when they arrive, with no call to ask again:
production sees `materials_status` turn from short to reserved."""

from __future__ import annotations

from shared.testing.stack import Stack
from tests.test_production_order_saga import materials, plant, released_order


async def test_a_receipt_of_the_missing_components_reserves_the_short_order(
    sqlite_stack: Stack,
) -> None:
    inventory, production = await sqlite_stack.start("inventory", "production")
    await plant(inventory, production)
    # 30 bikes need 30 frames; 20 are in stock.
    order_id = await released_order(production, "30")
    short = await materials(production, order_id, "short")
    assert [s["sku"] for s in short["shortages"]] == ["FRAME"]

    received = await inventory.post(
        "/api/v1/movements",
        json={"kind": "receipt", "sku": "FRAME", "quantity": "10", "warehouse": "MAIN"},
    )
    assert received.status_code == 201, received.text

    reserved = await materials(production, order_id, "reserved")
    assert reserved["shortages"] == [] and reserved["reservation_id"]
    stock = (await inventory.get("/api/v1/stock/FRAME")).json()
    assert (stock["on_hand"], stock["reserved"]) == ("30", "30")
