"""Serial-tracked items: one serial per unit on receipt, completion and issue, each unique per
sku; refusals change nothing; a serial shows where it is and what moved it."""

from __future__ import annotations

from typing import Any

from services.inventory.tests.support import add_item, move, stock
from services.inventory.tests.test_event_handlers import PurchaseOrderReceived, released
from services.inventory.tests.test_lot_genealogy import completed
from shared.db import new_id
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually


async def refused(inventory: ServiceClient, status: int, **body: Any) -> dict[str, Any]:
    response = await inventory.post("/api/v1/movements", json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    return problem


async def ledger(inventory: ServiceClient, sku: str) -> list[dict[str, Any]]:
    return (await inventory.get("/api/v1/movements", params={"sku": sku})).json()["items"]  # type: ignore[no-any-return]


async def serial(inventory: ServiceClient, sku: str, name: str) -> dict[str, Any]:
    response = await inventory.get(f"/api/v1/serials/{sku}/{name}")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_items_say_how_they_are_tracked(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "PLAIN")
    await add_item(inventory, "BATCHED", lot_tracked=True)
    await add_item(inventory, "EBIKE", tracking="serial")
    found = {
        i["sku"]: (i["tracking"], i["lot_tracked"], i["serial_tracked"])
        for i in (await inventory.get("/api/v1/items")).json()["items"]
    }
    assert found == {
        "PLAIN": ("none", False, False),
        "BATCHED": ("lot", True, False),
        "EBIKE": ("serial", False, True),
    }
    version = (await inventory.get("/api/v1/items/BATCHED")).headers["etag"]
    changed = await inventory.patch(
        "/api/v1/items/BATCHED", json={"tracking": "none"}, headers={"If-Match": version}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["tracking"], changed.json()["lot_tracked"]) == ("none", False)
    contradiction = await inventory.post(
        "/api/v1/items",
        json={
            "sku": "ODD",
            "name": "Odd",
            "kind": "raw",
            "tracking": "none",
            "serial_tracked": True,
        },
    )
    assert contradiction.status_code == 422, contradiction.text
    assert (await inventory.get("/api/v1/items/ODD")).status_code == 404


async def test_a_receipt_brings_one_new_serial_per_unit_and_an_issue_takes_named_ones(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "EBIKE", tracking="serial", kind="finished")
    received = await move(
        inventory, "receipt", "EBIKE", "3", serials=["S1", "S2", "S3"], reference="R-1"
    )
    issued = await move(inventory, "issue", "EBIKE", "1", serials=["S2"], reference="DO-7")
    assert (await stock(inventory, "EBIKE"))["on_hand"] == "2"

    s2 = await serial(inventory, "EBIKE", "S2")
    assert (s2["status"], s2["warehouse"]) == ("issued", "MAIN")
    assert [
        (m["movement_id"], m["kind"], m["reference"], m["status"]) for m in s2["movements"]
    ] == [
        (received["id"], "receipt", "R-1", "in_stock"),
        (issued["id"], "issue", "DO-7", "issued"),
    ]
    assert (await serial(inventory, "EBIKE", "S1"))["status"] == "in_stock"
    missing = await inventory.get("/api/v1/serials/EBIKE/S9")
    assert missing.status_code == 404 and missing.json()["type"].endswith("not-found")


async def test_serial_refusals_name_the_problem_and_change_nothing(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "EBIKE", tracking="serial")
    await add_item(inventory, "BOLT")
    await inventory.post("/api/v1/warehouses", json={"code": "EAST", "name": "East"})
    await move(inventory, "receipt", "EBIKE", "2", serials=["S1", "S2"])
    await move(inventory, "issue", "EBIKE", "1", serials=["S2"])
    before = (await stock(inventory, "EBIKE"), await ledger(inventory, "EBIKE"))

    short = await refused(
        inventory, 422, kind="receipt", sku="EBIKE", quantity="3", serials=["A", "B"]
    )
    assert (short["serials_given"], short["quantity"]) == (2, "3")
    await refused(inventory, 422, kind="receipt", sku="EBIKE", quantity="2.5", serials=["A", "B"])
    await refused(inventory, 422, kind="receipt", sku="EBIKE", quantity="2", serials=["A", "A"])
    await refused(inventory, 422, kind="receipt", sku="EBIKE", quantity="1")
    await refused(inventory, 422, kind="receipt", sku="BOLT", quantity="1", serials=["A"])

    reused = await refused(
        inventory, 409, kind="receipt", sku="EBIKE", quantity="2", serials=["NEW", "S1"]
    )
    assert reused["type"].endswith("serial-in-use") and reused["serials"] == ["S1"]
    again = await refused(inventory, 409, kind="receipt", sku="EBIKE", quantity="1", serials=["S2"])
    assert again["serials"] == ["S2"]
    gone = await refused(inventory, 409, kind="issue", sku="EBIKE", quantity="1", serials=["S2"])
    assert gone["type"].endswith("serial-not-in-stock") and gone["serials"] == ["S2"]
    never = await refused(inventory, 409, kind="scrap", sku="EBIKE", quantity="1", serials=["S7"])
    assert never["serials"] == ["S7"]
    elsewhere = await refused(
        inventory, 409, kind="issue", sku="EBIKE", quantity="1", serials=["S1"], warehouse="EAST"
    )
    assert elsewhere["serials"] == ["S1"]

    assert (await stock(inventory, "EBIKE"), await ledger(inventory, "EBIKE")) == before
    assert (await inventory.get("/api/v1/serials/EBIKE/NEW")).status_code == 404
    assert (await serial(inventory, "EBIKE", "S1"))["status"] == "in_stock"


async def test_a_reserved_serial_cannot_be_issued_around_its_reservation(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "EBIKE", tracking="serial")
    await move(inventory, "receipt", "EBIKE", "1", serials=["S1"])
    reserved = await inventory.post(
        "/api/v1/reservations",
        json={"reference": "DO-1", "lines": [{"sku": "EBIKE", "quantity": "1"}]},
    )
    assert reserved.status_code == 201, reserved.text
    taken = await refused(inventory, 409, kind="issue", sku="EBIKE", quantity="1", serials=["S1"])
    assert taken["type"].endswith("insufficient-stock")
    issued = await inventory.post(f"/api/v1/reservations/{reserved.json()['id']}/issue")
    assert issued.status_code == 200, issued.text
    shipped = await serial(inventory, "EBIKE", "S1")
    assert shipped["status"] == "issued"
    assert [(m["kind"], m["reference"]) for m in shipped["movements"]][-1] == ("issue", "DO-1")


async def test_transfers_move_the_serials_they_name(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "EBIKE", tracking="serial")
    await inventory.post("/api/v1/warehouses", json={"code": "EAST", "name": "East"})
    await move(inventory, "receipt", "EBIKE", "2", serials=["S1", "S2"])
    await move(inventory, "transfer", "EBIKE", "1", serials=["S2"], to_warehouse="EAST")
    assert (await serial(inventory, "EBIKE", "S2"))["warehouse"] == "EAST"
    assert (await serial(inventory, "EBIKE", "S1"))["warehouse"] == "MAIN"
    east = {w["warehouse"]: w["on_hand"] for w in (await stock(inventory, "EBIKE"))["by_warehouse"]}
    assert east == {"MAIN": "1", "EAST": "1"}
    await move(inventory, "issue", "EBIKE", "1", serials=["S2"], warehouse="EAST")


async def test_a_completion_numbers_each_unit_made_and_issues_serial_components_oldest_first(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "EBIKE", tracking="serial", kind="finished")
    await add_item(inventory, "MOTOR", tracking="serial")
    await move(inventory, "receipt", "MOTOR", "1", serials=["M-OLD"])
    await move(inventory, "receipt", "MOTOR", "2", serials=["M-2", "M-3"])
    order = released("mo-9", MOTOR="2").model_copy(update={"product_sku": "EBIKE"})
    await produce(
        inventory,
        "production",
        [
            (order, "mo-9", new_id(), 1),
            (completed("mo-9", "EBIKE", "2", "B-9", MOTOR="2"), "mo-9", new_id(), 2),
        ],
    )

    async def made() -> bool:
        return (await stock(inventory, "EBIKE"))["on_hand"] == "2"

    await eventually(made, timeout=20)
    first = await serial(inventory, "EBIKE", "B-9-0001")
    assert (first["status"], first["lot"], first["movements"][0]["reference"]) == (
        "in_stock",
        "B-9",
        "mo-9",
    )
    assert (await serial(inventory, "EBIKE", "B-9-0002"))["status"] == "in_stock"
    states = {s: (await serial(inventory, "MOTOR", s))["status"] for s in ("M-OLD", "M-2", "M-3")}
    assert states == {"M-OLD": "issued", "M-2": "issued", "M-3": "in_stock"}


async def test_an_item_with_stock_does_not_become_serial_tracked_and_stays_as_it_was(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "MOTOR")
    await move(inventory, "receipt", "MOTOR", "2")
    version = (await inventory.get("/api/v1/items/MOTOR")).headers["etag"]
    refused = await inventory.patch(
        "/api/v1/items/MOTOR", json={"tracking": "serial"}, headers={"If-Match": version}
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["on_hand"] == "2"
    item = await inventory.get("/api/v1/items/MOTOR")
    assert (item.json()["tracking"], item.headers["etag"]) == ("none", version)


async def test_goods_received_at_the_dock_are_numbered_after_their_lot(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "MOTOR", tracking="serial")
    receipt = PurchaseOrderReceived(
        purchase_order_id="po-1",
        receipt_id="rc-1",
        warehouse="MAIN",
        received_at="2026-11-30T08:00:00Z",
        lines=[{"sku": "MOTOR", "quantity": "2", "lot": "L-7", "unit_price": "40"}],
    )
    await produce(inventory, "logistics", [(receipt, "po-1", new_id(), 1)])

    async def received() -> bool:
        return (await stock(inventory, "MOTOR"))["on_hand"] == "2"

    await eventually(received, timeout=20)
    numbered = await serial(inventory, "MOTOR", "L-7-0002")
    assert (numbered["status"], numbered["lot"], numbered["movements"][0]["reference"]) == (
        "in_stock",
        "L-7",
        "rc-1",
    )
    await move(inventory, "issue", "MOTOR", "1", serials=["L-7-0001"])


async def test_issuing_a_reservation_takes_the_serials_named_or_refuses_and_changes_nothing(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "EBIKE", tracking="serial")
    await add_item(inventory, "BOLT")
    await move(inventory, "receipt", "EBIKE", "3", serials=["S1", "S2", "S3"])
    await move(inventory, "receipt", "BOLT", "5")
    await move(inventory, "issue", "EBIKE", "1", serials=["S2"])
    lines = [{"sku": "EBIKE", "quantity": "2"}, {"sku": "BOLT", "quantity": "1"}]
    reserved = await inventory.post(
        "/api/v1/reservations", json={"reference": "DO-3", "lines": lines}
    )
    assert reserved.status_code == 201, reserved.text
    url = f"/api/v1/reservations/{reserved.json()['id']}/issue"
    before = (await stock(inventory, "EBIKE"), await ledger(inventory, "EBIKE"))

    for status, named, problem in (
        (422, [{"sku": "EBIKE", "serials": ["S1"]}], "validation-error"),
        (422, [{"sku": "BOLT", "serials": ["B1"]}], "validation-error"),
        (409, [{"sku": "EBIKE", "serials": ["S1", "S2"]}], "serial-not-in-stock"),
        (409, [{"sku": "EBIKE", "serials": ["S1", "S9"]}], "serial-not-in-stock"),
    ):
        response = await inventory.post(url, json={"serials": named})
        assert response.status_code == status, response.text
        assert response.json()["type"].endswith(problem)
    assert (await stock(inventory, "EBIKE"), await ledger(inventory, "EBIKE")) == before
    assert (await inventory.get(f"/api/v1/reservations/{reserved.json()['id']}")).json()[
        "status"
    ] == "confirmed"

    issued = await inventory.post(
        url, json={"serials": [{"sku": "EBIKE", "serials": ["S3", "S1"]}]}
    )
    assert issued.status_code == 200, issued.text
    assert {s: (await serial(inventory, "EBIKE", s))["status"] for s in ("S1", "S3")} == {
        "S1": "issued",
        "S3": "issued",
    }
    assert (await stock(inventory, "BOLT"))["on_hand"] == "4"
