"""Cycle counts, the stock value report and lot traces over HTTP."""

from __future__ import annotations

from services.inventory.tests.support import add_item, move, stock
from shared.testing.stack import Stack


async def test_a_cycle_count_books_the_difference_as_an_adjustment(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "BOLT", standard_cost="2")
    await inventory.post("/api/v1/warehouses/MAIN/locations", json={"code": "A-1"})
    await move(inventory, "receipt", "BOLT", "10", location="A-1")
    await move(inventory, "receipt", "BOLT", "5")

    short = await inventory.post(
        "/api/v1/cycle-counts", json={"sku": "BOLT", "location": "A-1", "counted_quantity": "8"}
    )
    assert short.status_code == 201, short.text
    body = short.json()
    assert (body["book_quantity"], body["difference"]) == ("10", "-2")
    assert body["movement"]["kind"] == "adjustment" and body["movement"]["reason"] == "cycle count"
    assert body["movement"]["lines"] == [
        {"warehouse": "MAIN", "location": "A-1", "lot": None, "quantity": "-2"}
    ]
    same = await inventory.post(
        "/api/v1/cycle-counts", json={"sku": "BOLT", "counted_quantity": "5", "reason": "audit"}
    )
    assert same.json()["difference"] == "0" and same.json()["movement"] is None
    found = await inventory.post(
        "/api/v1/cycle-counts", json={"sku": "BOLT", "lot": "X", "counted_quantity": "1"}
    )
    assert found.json()["movement"]["value"] == "2"
    assert (await stock(inventory, "BOLT"))["on_hand"] == "14"

    await inventory.post(
        "/api/v1/reservations",
        json={"reference": "R", "lines": [{"sku": "BOLT", "quantity": "13"}]},
    )
    below_reserved = await inventory.post(
        "/api/v1/cycle-counts", json={"sku": "BOLT", "location": "A-1", "counted_quantity": "0"}
    )
    assert below_reserved.status_code == 409
    for bad in ({"counted_quantity": "-1"}, {"sku": "NOPE"}, {"location": "NOWHERE"}):
        response = await inventory.post(
            "/api/v1/cycle-counts", json={"sku": "BOLT", "counted_quantity": "1"} | bad
        )
        assert response.status_code == 422, response.text


async def test_stock_value_is_on_hand_at_moving_average_cost(sqlite_stack: Stack) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    await inventory.post("/api/v1/warehouses", json={"code": "EAST", "name": "East"})
    await add_item(inventory, "A")
    await add_item(inventory, "B")
    await move(inventory, "receipt", "A", "10", unit_cost="1")
    await move(inventory, "receipt", "A", "10", unit_cost="2", warehouse="EAST")
    await move(inventory, "receipt", "B", "3", unit_cost="0.333333")
    await move(inventory, "issue", "B", "3")
    report = (await inventory.get("/api/v1/reports/stock-value")).json()
    assert report == {
        "total_value": "30",
        "by_warehouse": [
            {"warehouse": "EAST", "value": "15"},
            {"warehouse": "MAIN", "value": "15"},
        ],
        "skus": [{"sku": "A", "on_hand": "20", "average_cost": "1.5", "value": "30"}],
    }
    east = (await inventory.get("/api/v1/reports/stock-value", params={"warehouse": "EAST"})).json()
    assert east["total_value"] == "15"


async def test_a_lot_is_traced_from_receipt_to_where_it_went(sqlite_stack: Stack) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    await inventory.post("/api/v1/warehouses", json={"code": "EAST", "name": "East"})
    await add_item(inventory, "TUBE")
    await move(inventory, "receipt", "TUBE", "5", lot="OLD", reference="RC-0")
    await move(inventory, "receipt", "TUBE", "10", lot="T1", reference="RC-1")
    await move(inventory, "issue", "TUBE", "7", reference="WO-1")  # 5 of OLD, then 2 of T1
    await move(inventory, "transfer", "TUBE", "3", lot="T1", to_warehouse="EAST")
    await move(inventory, "scrap", "TUBE", "1", lot="T1", warehouse="EAST")
    await inventory.post("/api/v1/holds", json={"sku": "TUBE", "lot": "T1", "reason": "check"})

    trace = await inventory.get("/api/v1/lots/TUBE/T1/trace")
    assert trace.status_code == 200, trace.text
    body = trace.json()
    assert (body["received"], body["issued"], body["on_hand"]) == ("10", "3", "7")
    assert body["references"] == ["RC-1", "WO-1"]
    assert [m["kind"] for m in body["movements"]] == ["receipt", "issue", "transfer", "scrap"]
    assert [(lv["warehouse"], lv["on_hand"], lv["on_hold"]) for lv in body["levels"]] == [
        ("EAST", "2", "2"),
        ("MAIN", "5", "5"),
    ]
    assert len(body["holds"]) == 1
    assert (await inventory.get("/api/v1/lots/TUBE/NOPE/trace")).status_code == 404
