"""Received lines of an sku inventory does not know are parked for an operator, not dropped."""

from __future__ import annotations

import asyncio
from typing import Any

from services.inventory.tests.support import add_item, stock
from services.inventory.tests.test_event_handlers import PurchaseOrderReceived
from shared.db import new_id
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually


def receipt(receipt_id: str, *lines: dict[str, Any]) -> PurchaseOrderReceived:
    return PurchaseOrderReceived(
        purchase_order_id="PO-9",
        receipt_id=receipt_id,
        warehouse="DOCK",
        received_at="2026-11-27T10:00:00Z",
        lines=list(lines),
    )


async def parked(inventory: ServiceClient, **params: str) -> list[dict[str, Any]]:
    response = await inventory.get("/api/v1/parked-receipt-lines", params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def test_a_received_line_of_an_unknown_sku_is_parked_and_applied_once_when_the_item_exists(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "BOLT", standard_cost="1")
    event = receipt(
        "RC-7",
        {"sku": "BOLT", "quantity": "10", "unit_price": "0.5"},
        {"sku": "WASHER", "quantity": "40", "unit_price": "0.1", "lot": "W-1"},
    )
    await produce(
        inventory,
        "logistics",
        [(event, "PO-9", new_id(), 1), (event, "PO-9", new_id(), 2)],  # republished: same receipt
    )
    await eventually(lambda: parked(inventory), timeout=20)
    await asyncio.sleep(1)  # the republished receipt has had its chance to park it twice
    lines = await parked(inventory)
    assert [(x["sku"], x["quantity"], x["lot"], x["status"]) for x in lines] == [
        ("WASHER", "40", "W-1", "parked")
    ]
    line = lines[0]
    assert (line["receipt_id"], line["purchase_order_id"], line["warehouse"]) == (
        "RC-7",
        "PO-9",
        "DOCK",
    )
    assert (await stock(inventory, "BOLT"))["on_hand"] == "10"

    too_early = await inventory.post(f"/api/v1/parked-receipt-lines/{line['id']}/apply")
    assert too_early.status_code == 422
    assert too_early.headers["content-type"] == "application/problem+json"
    assert (await parked(inventory, status="parked"))[0]["id"] == line["id"]

    await add_item(inventory, "WASHER", standard_cost="0.2")
    applied = await inventory.post(f"/api/v1/parked-receipt-lines/{line['id']}/apply")
    assert applied.status_code == 200, applied.text
    body = applied.json()
    assert body["status"] == "applied" and body["movement_id"] == body["movement"]["id"]
    assert (body["movement"]["kind"], body["movement"]["reference"]) == ("receipt", "RC-7")
    washer = await stock(inventory, "WASHER")
    assert (washer["on_hand"], washer["average_cost"]) == ("40", "0.1")

    again = await inventory.post(f"/api/v1/parked-receipt-lines/{line['id']}/apply")
    assert again.status_code == 409
    assert again.json()["type"].endswith("illegal-transition")
    assert (await stock(inventory, "WASHER"))["on_hand"] == "40"
    assert await parked(inventory, status="parked") == []
    assert (await parked(inventory, status="applied"))[0]["applied_by"]


async def test_racing_applications_of_one_parked_line_book_it_once(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    event = receipt("RC-8", {"sku": "PIN", "quantity": "5", "unit_price": "1"})
    await produce(inventory, "logistics", [(event, "PO-9", new_id(), 1)])
    lines = await eventually(lambda: parked(inventory), timeout=20)
    await add_item(inventory, "PIN")
    answers = await asyncio.gather(
        *(inventory.post(f"/api/v1/parked-receipt-lines/{lines[0]['id']}/apply") for _ in range(4))
    )
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409]
    assert (await stock(inventory, "PIN"))["on_hand"] == "5"


async def test_an_unknown_parked_line_is_a_404_problem(sqlite_stack: Stack) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    response = await inventory.post(f"/api/v1/parked-receipt-lines/{new_id()}/apply")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
