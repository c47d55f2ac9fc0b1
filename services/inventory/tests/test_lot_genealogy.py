"""Lot genealogy: completions link the made lot to the component lots they issued, and the trace
walks it down to the supplier receipts and up to the deliveries, across levels."""

from __future__ import annotations

from typing import Any

from services.inventory.tests.support import add_item, move, published
from services.inventory.tests.test_event_handlers import (
    OrderCompleted,
    PurchaseOrderReceived,
    released,
)
from shared.db import new_id
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually


def completed(order_id: str, product: str, quantity: str, lot: str, **used: str) -> OrderCompleted:
    return OrderCompleted(
        order_id=order_id,
        product_sku=product,
        good_quantity=quantity,
        scrap_quantity="0",
        lot=lot,
        warehouse="MAIN",
        components=[{"sku": s, "quantity": q} for s, q in used.items()],
    )


class SupplierReceipt(PurchaseOrderReceived):
    number: str
    supplier: str


async def on_hand(inventory: ServiceClient, sku: str) -> str:
    return (await inventory.get(f"/api/v1/stock/{sku}")).json()["on_hand"]  # type: ignore[no-any-return]


async def trace(inventory: ServiceClient, sku: str, lot: str, **params: Any) -> dict[str, Any]:
    response = await inventory.get(f"/api/v1/lots/{sku}/{lot}/trace", params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def shape(node: dict[str, Any]) -> tuple[str, str, str, list[Any]]:
    return (node["sku"], node["lot"], node["quantity"], [shape(c) for c in node["children"]])


async def two_levels(inventory: ServiceClient) -> None:
    """Steel lots S-1 (bought from ACME) and S-2 -> tube lot T-1 -> frame lot F-1 -> DO-1."""
    await add_item(inventory, "STEEL", kind="raw", lot_tracked=True)
    await add_item(inventory, "TUBE", lot_tracked=True)
    await add_item(inventory, "FRAME", kind="finished", lot_tracked=True)
    receipt = SupplierReceipt(
        purchase_order_id="po-1",
        receipt_id="rc-1",
        number="PO-00001",
        supplier="ACME",
        warehouse="MAIN",
        received_at="2026-11-30T08:00:00Z",
        lines=[{"sku": "STEEL", "quantity": "3", "lot": "S-1", "unit_price": "2"}],
    )
    await produce(inventory, "logistics", [(receipt, "po-1", new_id(), 1)])

    async def bought() -> bool:
        return await on_hand(inventory, "STEEL") == "3"

    await eventually(bought, timeout=20)
    await move(inventory, "receipt", "STEEL", "5", lot="S-2")
    tube = released("mo-tube", STEEL="4").model_copy(update={"product_sku": "TUBE"})
    frame = released("mo-frame", TUBE="2").model_copy(update={"product_sku": "FRAME"})
    await produce(
        inventory,
        "production",
        [
            (tube, "mo-tube", new_id(), 1),
            (completed("mo-tube", "TUBE", "2", "T-1", STEEL="4"), "mo-tube", new_id(), 2),
            (frame, "mo-frame", new_id(), 1),
            (completed("mo-frame", "FRAME", "1", "F-1", TUBE="2"), "mo-frame", new_id(), 2),
        ],
    )

    async def made() -> bool:
        return await on_hand(inventory, "FRAME") == "1"

    await eventually(made, timeout=20)
    reserved = await inventory.post(
        "/api/v1/reservations",
        json={"reference": "DO-1", "lines": [{"sku": "FRAME", "quantity": "1"}]},
    )
    assert reserved.status_code == 201, reserved.text
    issued = await inventory.post(f"/api/v1/reservations/{reserved.json()['id']}/issue")
    assert issued.status_code == 200, issued.text


async def test_completions_record_the_component_lots_and_announce_them(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await two_levels(inventory)
    recorded = await published(inventory, "inventory.lot.genealogy_recorded")
    assert [(e["subject"], e["data"]) for e in recorded] == [
        (
            "TUBE:T-1",
            {
                "reference": "mo-tube",
                "sku": "TUBE",
                "lot": "T-1",
                "quantity": "2",
                "components": [
                    {"sku": "STEEL", "lot": "S-1", "quantity": "3"},
                    {"sku": "STEEL", "lot": "S-2", "quantity": "1"},
                ],
            },
        ),
        (
            "FRAME:F-1",
            {
                "reference": "mo-frame",
                "sku": "FRAME",
                "lot": "F-1",
                "quantity": "1",
                "components": [{"sku": "TUBE", "lot": "T-1", "quantity": "2"}],
            },
        ),
    ]


async def test_trace_down_reaches_the_supplier_receipts_across_levels(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await two_levels(inventory)
    body = await trace(inventory, "FRAME", "F-1", direction="down")
    assert body["direction"] == "down" and body["on_hand"] == "0"
    assert shape(body["tree"]) == (
        "FRAME",
        "F-1",
        "1",
        [("TUBE", "T-1", "2", [("STEEL", "S-1", "3", []), ("STEEL", "S-2", "1", [])])],
    )
    tube = body["tree"]["children"][0]
    assert tube["reference"] == "mo-frame" and tube["depth"] == 1
    assert [(m["kind"], m["reference"]) for m in tube["movements"]] == [("receipt", "mo-tube")]
    bought, own = tube["children"]
    [purchase] = bought["movements"]
    assert (purchase["kind"], purchase["reference"], purchase["quantity"]) == (
        "receipt",
        "rc-1",
        "3",
    )
    assert (purchase["supplier"], purchase["purchase_order_number"]) == ("ACME", "PO-00001")
    assert purchase["purchase_order_id"] == "po-1"
    assert purchase["received_at"].startswith("2026-11-30T08:00:00")
    assert [(m["quantity"], m["supplier"]) for m in own["movements"]] == [("5", None)]
    assert [(n["sku"], n["lot"], n["depth"], n["parent_lot"]) for n in body["nodes"]] == [
        ("FRAME", "F-1", 0, None),
        ("TUBE", "T-1", 1, "F-1"),
        ("STEEL", "S-1", 2, "T-1"),
        ("STEEL", "S-2", 2, "T-1"),
    ]


async def test_trace_up_reaches_the_deliveries_across_levels(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await two_levels(inventory)
    body = await trace(inventory, "STEEL", "S-2", direction="up")
    assert shape(body["tree"]) == (
        "STEEL",
        "S-2",
        "5",
        [("TUBE", "T-1", "2", [("FRAME", "F-1", "1", [])])],
    )
    steel = body["tree"]
    # its issue into the tube order shows as the tube lot, not as a movement
    assert steel["movements"] == []
    frame = steel["children"][0]["children"][0]
    assert [(m["kind"], m["reference"], m["quantity"]) for m in frame["movements"]] == [
        ("issue", "DO-1", "1")
    ]
    assert [n["lot"] for n in body["nodes"]] == ["S-2", "T-1", "F-1"]

    shallow = await trace(inventory, "STEEL", "S-2", direction="up", depth=1)
    tube = shallow["tree"]["children"][0]
    assert tube["truncated"] is True and tube["children"] == []


async def test_trace_of_an_unknown_lot_or_direction_is_a_problem(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "STEEL", lot_tracked=True)
    await move(inventory, "receipt", "STEEL", "1", lot="S-1")
    missing = await inventory.get("/api/v1/lots/STEEL/S-9/trace", params={"direction": "up"})
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["type"].endswith("not-found")
    sideways = await inventory.get("/api/v1/lots/STEEL/S-1/trace", params={"direction": "left"})
    assert sideways.status_code == 422
    assert sideways.headers["content-type"].startswith("application/problem+json")
    alone = await trace(inventory, "STEEL", "S-1")
    assert alone["direction"] == "down" and shape(alone["tree"]) == ("STEEL", "S-1", "1", [])


async def test_a_lot_reworked_into_itself_is_traced_once_as_a_cycle(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "TUBE", lot_tracked=True)
    await move(inventory, "receipt", "TUBE", "2", lot="T-1")
    rework = completed("mo-rework", "TUBE", "1", "T-1", TUBE="1")
    await produce(inventory, "production", [(rework, "mo-rework", new_id(), 1)])

    async def reworked() -> bool:
        return bool(await published(inventory, "inventory.lot.genealogy_recorded"))

    await eventually(reworked, timeout=20)
    for direction in ("down", "up"):
        body = await trace(inventory, "TUBE", "T-1", direction=direction)
        [again] = body["tree"]["children"]
        assert (again["lot"], again["cycle"], again["children"]) == ("T-1", True, [])
        assert len(body["nodes"]) == 2
