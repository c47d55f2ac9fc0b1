"""The stock ledger over HTTP: movements change levels and costs, never below zero."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from services.inventory.tests.support import add_item, move, published, stock
from shared.testing.stack import Stack


async def test_receipts_issues_and_transfers_keep_levels_and_moving_average_cost(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "BOLT", standard_cost="1.5")
    await inventory.post("/api/v1/warehouses", json={"code": "EAST", "name": "East"})
    await inventory.post("/api/v1/warehouses/EAST/locations", json={"code": "B-1"})

    first = await move(inventory, "receipt", "BOLT", "10", reference="R-1")
    assert first["unit_cost"] == "1.5" and first["value"] == "15" and first["warehouse"] == "MAIN"
    await move(inventory, "receipt", "BOLT", "30", unit_cost="2.5")
    assert (await stock(inventory, "BOLT"))["average_cost"] == "2.25"

    issued = await move(inventory, "issue", "BOLT", "4.5", reference="WO-1")
    assert issued["unit_cost"] == "2.25" and issued["value"] == "10.125"
    await move(inventory, "transfer", "BOLT", "5.5", to_warehouse="EAST", to_location="B-1")
    await move(inventory, "scrap", "BOLT", "1", warehouse="EAST", location="B-1", reason="bent")
    await move(inventory, "adjustment", "BOLT", "-2", reason="count")

    now = await stock(inventory, "BOLT")
    assert now["on_hand"] == "32.5" and now["available"] == "32.5" and now["reserved"] == "0"
    assert now["average_cost"] == "2.25"
    assert {w["warehouse"]: w["on_hand"] for w in now["by_warehouse"]} == {
        "MAIN": "28",
        "EAST": "4.5",
    }
    assert [(lv["warehouse"], lv["location"]) for lv in now["levels"]] == [
        ("MAIN", None),
        ("EAST", "B-1"),
    ]

    ledger = (await inventory.get("/api/v1/movements", params={"sku": "BOLT"})).json()
    assert [m["kind"] for m in ledger["items"]] == [
        "receipt",
        "receipt",
        "issue",
        "transfer",
        "scrap",
        "adjustment",
    ]
    assert (await inventory.get("/api/v1/movements", params={"reference": "WO-1"})).json()[
        "total"
    ] == 1
    one = await inventory.get(f"/api/v1/movements/{first['id']}")
    assert one.status_code == 200 and one.json()["reference"] == "R-1"

    recorded = await published(inventory, "inventory.movement.recorded")
    assert [e["data"]["kind"] for e in recorded][:3] == ["receipt", "receipt", "issue"]
    assert recorded[2]["data"]["value"] == "10.125" and recorded[2]["subject"] == issued["id"]
    changed = await published(inventory, "inventory.stock.changed")
    assert changed[-1]["subject"] == "BOLT" and changed[-1]["data"]["on_hand"] == "32.5"
    assert [e["sequence"] for e in changed] == list(range(1, 7))


async def test_issue_beyond_available_is_rejected_and_changes_nothing(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "NUT")
    await move(inventory, "receipt", "NUT", "3")
    for kind, extra in (
        ("issue", {}),
        ("scrap", {}),
        ("transfer", {"to_location": None, "to_warehouse": "EAST"}),
    ):
        await inventory.post("/api/v1/warehouses", json={"code": "EAST", "name": "East"})
        refused = await inventory.post(
            "/api/v1/movements", json={"kind": kind, "sku": "NUT", "quantity": "3.000001"} | extra
        )
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"].endswith("insufficient-stock")
        assert refused.json()["available"] == "3"
    assert (await stock(inventory, "NUT"))["on_hand"] == "3"
    assert (await inventory.get("/api/v1/movements", params={"sku": "NUT"})).json()["total"] == 1


async def test_bad_movements_are_invalid_input(sqlite_stack: Stack) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    await add_item(inventory, "NUT")
    await add_item(inventory, "LOTTED", lot_tracked=True)
    base = {"kind": "receipt", "sku": "NUT", "quantity": "1"}
    for change in (
        {"quantity": "0"},
        {"quantity": "-1"},
        {"quantity": "ten"},
        {"quantity": "1e999"},
        {"quantity": "0.0000001"},
        {"quantity": "1000000000001"},
        {"quantity": "1000000000", "unit_cost": "1001"},
        {"unit_cost": "1e13"},
        {"kind": "adjustment", "quantity": "0"},
        {"kind": "loan"},
        {"sku": "UNKNOWN"},
        {"warehouse": "NOWHERE"},
        {"location": "NO-BIN"},
        {"kind": "transfer"},
        {"kind": "transfer", "to_warehouse": "MAIN"},
        {"to_warehouse": "MAIN"},
        {"sku": "LOTTED"},
    ):
        response = await inventory.post("/api/v1/movements", json=base | change)
        assert response.status_code == 422, (change, response.text)
    assert (await inventory.get("/api/v1/stock/UNKNOWN")).status_code == 404
    assert (await stock(inventory, "NUT"))["on_hand"] == "0"
    assert (await inventory.get("/api/v1/movements/nope")).status_code == 404


async def test_fifty_concurrent_issues_against_twenty_never_go_negative(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "GEAR")
    await move(inventory, "receipt", "GEAR", "20")
    body = {"kind": "issue", "sku": "GEAR", "quantity": "1"}
    responses = await asyncio.gather(
        *(inventory.post("/api/v1/movements", json=body) for _ in range(50))
    )
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 20 and codes.count(409) == 30, codes
    now = await stock(inventory, "GEAR")
    assert now["on_hand"] == "0" and now["available"] == "0"
    ledger = (
        await inventory.get("/api/v1/movements", params={"sku": "GEAR", "kind": "issue"})
    ).json()
    assert ledger["total"] == 20


async def test_rebuild_from_the_ledger_equals_the_incremental_levels_and_repairs_drift(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    await inventory.post("/api/v1/warehouses", json={"code": "EAST", "name": "East"})
    for sku in ("A", "B"):
        await add_item(inventory, sku, standard_cost="3")
    await move(inventory, "receipt", "A", "7", lot="L1", unit_cost="1.1")
    await move(inventory, "receipt", "A", "5", lot="L2", unit_cost="1.7")
    await move(inventory, "issue", "A", "9")  # draws L1 first, then 2 of L2
    await move(inventory, "transfer", "A", "1", lot="L2", to_warehouse="EAST")
    await move(inventory, "receipt", "B", "4", warehouse="EAST")
    await move(inventory, "adjustment", "B", "1.25", warehouse="EAST", unit_cost="9")
    await move(inventory, "scrap", "B", "0.25", warehouse="EAST")
    before = [await stock(inventory, sku) for sku in ("A", "B")]
    assert [(lv["lot"], lv["on_hand"]) for lv in before[0]["levels"]] == [("L2", "2"), ("L2", "1")]

    report = await inventory.post("/api/v1/stock/rebuild")
    assert report.status_code == 200 and report.json()["corrected"] == [], report.text
    assert [await stock(inventory, sku) for sku in ("A", "B")] == before

    async with inventory.app.state.database.transaction() as session:
        from services.inventory.stock.models import SkuStock, StockLevel

        level = await session.get(StockLevel, ("B", "EAST", "", ""))
        level.on_hand += Decimal(100)
        (await session.get(SkuStock, "B")).average_cost = Decimal(0)
    repaired = (await inventory.post("/api/v1/stock/rebuild")).json()
    assert repaired["corrected"] == ["B"]
    assert [await stock(inventory, sku) for sku in ("A", "B")] == before


async def test_issues_without_a_lot_take_the_first_to_expire_then_the_oldest(
    sqlite_stack: Stack,
) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    await add_item(inventory, "MILK")
    await move(inventory, "receipt", "MILK", "4")
    await move(inventory, "receipt", "MILK", "5", lot="LATE", expires_on="2027-06-01")
    await move(inventory, "receipt", "MILK", "5", lot="SOON", expires_on="2027-01-01")
    issued = await move(inventory, "issue", "MILK", "12")
    assert [(li["lot"], li["quantity"]) for li in issued["lines"]] == [
        ("SOON", "-5"),
        ("LATE", "-5"),
        (None, "-2"),
    ]
    levels = (await stock(inventory, "MILK"))["levels"]
    assert [(lv["lot"], lv["on_hand"]) for lv in levels] == [(None, "2")]
    no_lot = await inventory.post(
        "/api/v1/movements",
        json={"kind": "receipt", "sku": "MILK", "quantity": "1", "expires_on": "2027-01-01"},
    )
    assert no_lot.status_code == 422
