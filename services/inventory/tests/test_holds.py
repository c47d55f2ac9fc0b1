"""Holds over HTTP: a held lot cannot be used until released, or is scrapped."""

from __future__ import annotations

from services.inventory.tests.support import add_item, move, published, stock
from shared.testing.stack import Stack


async def test_a_held_lot_is_released_or_scrapped_once(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "TUBE", standard_cost="3")
    await inventory.post("/api/v1/warehouses", json={"code": "EAST", "name": "East"})
    await move(inventory, "receipt", "TUBE", "4", lot="T1")
    await move(inventory, "receipt", "TUBE", "6", lot="T1", warehouse="EAST")
    await move(inventory, "receipt", "TUBE", "1", lot="T2")

    held = await inventory.post(
        "/api/v1/holds", json={"sku": "TUBE", "lot": "T1", "reason": "cracks"}
    )
    assert held.status_code == 201, held.text
    assert held.json()["quantity"] == "10" and len(held.json()["held"]) == 2
    again = await inventory.post("/api/v1/holds", json={"sku": "TUBE", "lot": "T1", "reason": "x"})
    assert again.status_code == 409
    now = await stock(inventory, "TUBE")
    assert (now["on_hold"], now["available"]) == ("10", "1")

    released = await inventory.post(f"/api/v1/holds/{held.json()['id']}/release")
    assert released.status_code == 200 and released.json()["status"] == "released"
    assert (await stock(inventory, "TUBE"))["available"] == "11"
    assert (await inventory.post(f"/api/v1/holds/{held.json()['id']}/release")).status_code == 409

    second = (
        await inventory.post(
            "/api/v1/holds", json={"sku": "TUBE", "lot": "T1", "reason": "cracks again"}
        )
    ).json()
    scrapped = await inventory.post(f"/api/v1/holds/{second['id']}/scrap")
    assert scrapped.status_code == 200, scrapped.text
    assert [
        (m["kind"], m["warehouse"], m["quantity"], m["value"]) for m in scrapped.json()["movements"]
    ] == [
        ("scrap", "EAST", "6", "18"),
        ("scrap", "MAIN", "4", "12"),
    ]
    now = await stock(inventory, "TUBE")
    assert (now["on_hand"], now["on_hold"], now["available"]) == ("1", "0", "1")
    assert [
        e["data"]["quantity"] for e in await published(inventory, "inventory.lot.scrapped")
    ] == ["10"]
    assert len(await published(inventory, "inventory.lot.held")) == 2
    listed = (
        await inventory.get("/api/v1/holds", params={"sku": "TUBE", "status": "scrapped"})
    ).json()
    assert listed["total"] == 1
    assert (await inventory.get("/api/v1/holds/nope")).status_code == 404
    assert (
        await inventory.post("/api/v1/holds", json={"sku": "NOPE", "lot": "T1", "reason": "x"})
    ).status_code == 422
    assert (await inventory.post("/api/v1/stock/rebuild")).json()["corrected"] == []


async def test_a_lot_with_no_stock_yet_can_be_held(sqlite_stack: Stack) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    await add_item(inventory, "TUBE")
    held = await inventory.post(
        "/api/v1/holds",
        json={"sku": "TUBE", "lot": "T9", "reason": "recall", "before_receipt": True},
    )
    assert held.status_code == 201, held.text
    assert (held.json()["quantity"], held.json()["held"]) == ("0", [])
    await move(inventory, "receipt", "TUBE", "3", lot="T9")
    assert (await stock(inventory, "TUBE"))["on_hold"] == "3"
    assert (await inventory.get(f"/api/v1/holds/{held.json()['id']}")).json()["quantity"] == "3"
