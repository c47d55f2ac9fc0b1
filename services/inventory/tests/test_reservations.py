"""Reservations over HTTP: all or nothing, released or issued once, never more than available."""

from __future__ import annotations

import asyncio

from services.inventory.tests.support import add_item, move, published, stock
from shared.testing.stack import ServiceClient, Stack


async def stocked(inventory: ServiceClient, **quantities: str) -> None:
    for sku, quantity in quantities.items():
        await add_item(inventory, sku)
        await move(inventory, "receipt", sku, quantity)


async def test_a_reservation_is_all_or_nothing_and_names_the_shortages(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await stocked(inventory, WHEEL="10", SEAT="2")
    short = await inventory.post(
        "/api/v1/reservations",
        json={
            "reference": "WO-1",
            "lines": [{"sku": "WHEEL", "quantity": "4"}, {"sku": "SEAT", "quantity": 3}],
        },
    )
    assert short.status_code == 409, short.text
    assert short.headers["content-type"].startswith("application/problem+json")
    assert short.json()["type"].endswith("insufficient-stock")
    assert short.json()["shortages"] == [{"sku": "SEAT", "requested": "3", "available": "2"}]
    assert (await stock(inventory, "WHEEL"))["reserved"] == "0"
    rejected = await published(inventory, "inventory.reservation.rejected")
    assert [(e["subject"], e["data"]["shortages"][0]["sku"]) for e in rejected] == [
        ("WO-1", "SEAT")
    ]

    made = await inventory.post(
        "/api/v1/reservations",
        json={
            "reference": "WO-1",
            "lines": [{"sku": "WHEEL", "quantity": "4"}, {"sku": "SEAT", "quantity": "2"}],
        },
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["status"] == "confirmed" and body["reference"] == "WO-1"
    assert [(li["sku"], li["quantity"]) for li in body["lines"]] == [("WHEEL", "4"), ("SEAT", "2")]
    wheel = await stock(inventory, "WHEEL")
    assert (wheel["on_hand"], wheel["reserved"], wheel["available"]) == ("10", "4", "6")
    assert wheel["by_warehouse"][0]["reserved"] == "4"
    assert (await inventory.get(f"/api/v1/reservations/{body['id']}")).json()[
        "status"
    ] == "confirmed"
    by_ref = (await inventory.get("/api/v1/reservations", params={"reference": "WO-1"})).json()
    assert [r["id"] for r in by_ref["items"]] == [body["id"]]
    confirmed = await published(inventory, "inventory.reservation.confirmed")
    assert confirmed[0]["subject"] == body["id"]
    assert confirmed[0]["data"]["lines"][0] == {
        "sku": "WHEEL",
        "quantity": "4",
        "warehouse": "MAIN",
    }

    # Reserved stock is not available to anyone else.
    taken = await inventory.post(
        "/api/v1/movements", json={"kind": "issue", "sku": "WHEEL", "quantity": "7"}
    )
    assert taken.status_code == 409
    assert (await inventory.get("/api/v1/reservations/nope")).status_code == 404
    unknown = await inventory.post(
        "/api/v1/reservations", json={"reference": "X", "lines": [{"sku": "NOPE", "quantity": 1}]}
    )
    assert unknown.status_code == 422
    for bad in (
        {"reference": "X", "lines": []},
        {"reference": "X", "lines": [{"sku": "WHEEL", "quantity": 0}]},
    ):
        assert (await inventory.post("/api/v1/reservations", json=bad)).status_code == 422


async def test_release_gives_stock_back_and_issue_books_movements_once(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await stocked(inventory, WHEEL="10")
    line = {"sku": "WHEEL", "quantity": "3"}
    first = (
        await inventory.post("/api/v1/reservations", json={"reference": "DO-1", "lines": [line]})
    ).json()
    released = await inventory.post(f"/api/v1/reservations/{first['id']}/release")
    assert released.status_code == 200 and released.json()["status"] == "released"
    assert (await inventory.post(f"/api/v1/reservations/{first['id']}/release")).status_code == 200
    assert (await stock(inventory, "WHEEL"))["reserved"] == "0"
    assert (await inventory.post(f"/api/v1/reservations/{first['id']}/issue")).status_code == 409

    second = (
        await inventory.post("/api/v1/reservations", json={"reference": "DO-2", "lines": [line]})
    ).json()
    url = f"/api/v1/reservations/{second['id']}/issue"
    issued = await inventory.post(url, headers={"Idempotency-Key": "ship-DO-2"})
    again = await inventory.post(url, headers={"Idempotency-Key": "ship-DO-2"})
    assert issued.status_code == 200, issued.text
    assert again.status_code == 200 and again.json() == issued.json()
    assert issued.json()["status"] == "consumed"
    assert [(m["kind"], m["quantity"], m["reference"]) for m in issued.json()["movements"]] == [
        ("issue", "3", "DO-2")
    ]
    now = await stock(inventory, "WHEEL")
    assert (now["on_hand"], now["reserved"], now["available"]) == ("7", "0", "7")
    assert (await inventory.get("/api/v1/movements", params={"reference": "DO-2"})).json()[
        "total"
    ] == 1
    assert (await inventory.post(url)).status_code == 409
    assert (await inventory.post(f"/api/v1/reservations/{second['id']}/release")).status_code == 409
    assert len(await published(inventory, "inventory.reservation.released")) == 1
    assert len(await published(inventory, "inventory.reservation.consumed")) == 1

    report = (await inventory.post("/api/v1/stock/rebuild")).json()
    assert report["corrected"] == []


async def test_fifty_concurrent_reservations_against_twenty_reserve_exactly_twenty(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    await stocked(inventory, GEAR="20", SHAFT="20")

    def body(n: int) -> dict[str, object]:
        lines = [{"sku": "GEAR", "quantity": "1"}, {"sku": "SHAFT", "quantity": "1"}]
        return {"reference": f"R-{n}", "lines": lines if n % 2 else lines[::-1]}

    responses = await asyncio.gather(
        *(inventory.post("/api/v1/reservations", json=body(n)) for n in range(50))
    )
    codes = [r.status_code for r in responses]
    assert codes.count(201) == 20 and codes.count(409) == 30, codes
    for sku in ("GEAR", "SHAFT"):
        now = await stock(inventory, sku)
        assert (now["on_hand"], now["reserved"], now["available"]) == ("20", "20", "0")

    # Issues, releases and new reservations all at once: nothing deadlocks or goes negative.
    made = [r.json()["id"] for r in responses if r.status_code == 201]
    calls = [inventory.post(f"/api/v1/reservations/{i}/issue") for i in made[:10]]
    calls += [inventory.post(f"/api/v1/reservations/{i}/release") for i in made[10:]]
    calls += [inventory.post("/api/v1/reservations", json=body(n)) for n in range(30)]
    answers = await asyncio.gather(*calls)
    assert [a.status_code for a in answers[:20]] == [200] * 20
    late = [a.status_code for a in answers[20:]].count(201)
    assert late <= 10
    for sku in ("GEAR", "SHAFT"):
        now = await stock(inventory, sku)
        assert (now["on_hand"], now["reserved"]) == ("10", str(late)), now
        assert now["available"] == str(10 - late)
    assert (await inventory.post("/api/v1/stock/rebuild")).json()["corrected"] == []


async def test_reorder_alert_is_raised_once_per_fall_below_the_point(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "TUBE", reorder_point="10", reorder_quantity="5", safety_stock="5")
    await move(inventory, "receipt", "TUBE", "30")
    await move(inventory, "issue", "TUBE", "15")
    assert await published(inventory, "inventory.stock.below_reorder_point") == []
    reserved = (
        await inventory.post(
            "/api/v1/reservations",
            json={"reference": "WO-9", "lines": [{"sku": "TUBE", "quantity": "8"}]},
        )
    ).json()
    await move(inventory, "issue", "TUBE", "1")
    alerts = await published(inventory, "inventory.stock.below_reorder_point")
    assert [e["data"] for e in alerts] == [
        {
            "sku": "TUBE",
            "available": "7",
            "reorder_point": "10",
            "reorder_quantity": "5",
            "safety_stock": "5",
            "suggested_quantity": "8",
        }
    ]
    await inventory.post(f"/api/v1/reservations/{reserved['id']}/release")  # 14: re-armed
    await move(inventory, "issue", "TUBE", "10")
    alerts = await published(inventory, "inventory.stock.below_reorder_point")
    assert [e["data"]["available"] for e in alerts] == ["7", "4"]
    assert alerts[1]["data"]["suggested_quantity"] == "11"


async def test_logistics_picks_ships_and_cancels_through_inventory_reservations(
    sqlite_stack: Stack,
) -> None:
    inventory, logistics = await sqlite_stack.start("inventory", "logistics")
    await stocked(inventory, BIKE="5")
    order = {
        "customer": "Velo",
        "ship_to": "Lyon",
        "due_date": "2026-12-05",
        "lines": [{"sku": "BIKE", "quantity": "4"}],
    }

    first = (await logistics.post("/api/v1/delivery-orders", json=order)).json()
    picked = await logistics.post(f"/api/v1/delivery-orders/{first['id']}/pick")
    assert picked.status_code == 200, picked.text
    assert (await stock(inventory, "BIKE"))["reserved"] == "4"
    second = (await logistics.post("/api/v1/delivery-orders", json=order)).json()
    refused = await logistics.post(f"/api/v1/delivery-orders/{second['id']}/ship")
    assert refused.status_code == 409 and refused.json()["shortages"][0]["available"] == "1"
    unchanged = await stock(inventory, "BIKE")
    assert (unchanged["on_hand"], unchanged["reserved"]) == ("5", "4")
    second_now = (await logistics.get(f"/api/v1/delivery-orders/{second['id']}")).json()
    assert second_now["status"] == "open"

    shipped = await logistics.post(f"/api/v1/delivery-orders/{first['id']}/ship")
    assert shipped.status_code == 200, shipped.text
    now = await stock(inventory, "BIKE")
    assert (now["on_hand"], now["reserved"]) == ("1", "0")
    ledger = (await inventory.get("/api/v1/movements", params={"reference": first["id"]})).json()
    assert [(m["kind"], m["quantity"]) for m in ledger["items"]] == [("issue", "4")]

    await move(inventory, "receipt", "BIKE", "3")
    assert (await logistics.post(f"/api/v1/delivery-orders/{second['id']}/pick")).status_code == 200
    assert (await stock(inventory, "BIKE"))["reserved"] == "4"
    assert (
        await logistics.post(f"/api/v1/delivery-orders/{second['id']}/cancel")
    ).status_code == 200
    assert (await stock(inventory, "BIKE"))["reserved"] == "0"
