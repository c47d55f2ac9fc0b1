"""Mistakes a clerk makes at the keyboard: a lot typed wrong, a code in the wrong case."""

from __future__ import annotations

from services.inventory.tests.support import add_item, move, published
from shared.testing.stack import Stack


async def test_a_hold_on_a_lot_never_booked_is_refused_and_holds_nothing(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "TUBE")
    await move(inventory, "receipt", "TUBE", "4", lot="T1")
    for lot in ("T9", "t1"):
        refused = await inventory.post(
            "/api/v1/holds", json={"sku": "TUBE", "lot": lot, "reason": "cracks"}
        )
        assert refused.status_code == 404, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["detail"] == "Unknown lot of 'TUBE' 't1'; did you mean 'T1'?"
    assert refused.json()["suggestion"] == "T1"
    assert (await inventory.get("/api/v1/holds")).json()["total"] == 0
    assert await published(inventory, "inventory.lot.held") == []
    held = await inventory.post("/api/v1/holds", json={"sku": "TUBE", "lot": "T1", "reason": "x"})
    assert held.status_code == 201, held.text


async def test_a_code_in_the_wrong_case_is_a_404_suggesting_the_right_one(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "FRAME")
    assert (
        await inventory.post("/api/v1/warehouses", json={"code": "EAST", "name": "East"})
    ).status_code == 201
    for path, detail in [
        ("/api/v1/items/frame", "Unknown sku 'frame'; did you mean 'FRAME'?"),
        ("/api/v1/stock/Frame", "Unknown sku 'Frame'; did you mean 'FRAME'?"),
        ("/api/v1/warehouses/east", "Unknown warehouse 'east'; did you mean 'EAST'?"),
        ("/api/v1/items/FORK", "Unknown sku 'FORK'."),
    ]:
        response = await inventory.get(path)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["detail"] == detail
    movement = await inventory.post(
        "/api/v1/movements", json={"kind": "receipt", "sku": "frame", "quantity": "1"}
    )
    assert movement.status_code == 422
    assert movement.json()["suggestion"] == "FRAME"
    elsewhere = await inventory.post(
        "/api/v1/movements",
        json={"kind": "receipt", "sku": "FRAME", "quantity": "1", "warehouse": "East"},
    )
    assert elsewhere.status_code == 422
    assert "did you mean 'EAST'?" in elsewhere.json()["detail"]
    assert (await inventory.get("/api/v1/movements")).json()["total"] == 0


async def test_a_quantity_with_a_decimal_comma_is_refused_saying_how_to_write_it(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "FRAME")
    response = await inventory.post(
        "/api/v1/movements", json={"kind": "receipt", "sku": "FRAME", "quantity": "12,5"}
    )
    assert response.status_code == 422, response.text
    assert "use a decimal point: 12.5" in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "body.quantity"
    assert (await inventory.get("/api/v1/movements")).json()["total"] == 0
