"""Production's and logistics' events, put on their topics, move inventory's stock once each."""

from __future__ import annotations

from typing import Any, ClassVar

from services.inventory.tests.support import add_item, move, published, stock
from shared.db import new_id
from shared.events import DomainEvent
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually


class OrderReleased(DomainEvent):
    event_type: ClassVar[str] = "production.order.released"
    order_id: str
    product_sku: str
    quantity: str
    due_date: str
    warehouse: str | None
    components: list[dict[str, Any]]


class OrderCompleted(DomainEvent):
    event_type: ClassVar[str] = "production.order.completed"
    order_id: str
    product_sku: str
    good_quantity: str
    scrap_quantity: str
    lot: str | None
    warehouse: str | None
    components: list[dict[str, Any]]
    unit_cost: str | None = None
    conversion_cost: str = "0"


class OrderCancelled(DomainEvent):
    event_type: ClassVar[str] = "production.order.cancelled"
    order_id: str
    reason: str | None = None


class PurchaseOrderReceived(DomainEvent):
    event_type: ClassVar[str] = "logistics.purchase_order.received"
    purchase_order_id: str
    receipt_id: str
    warehouse: str
    received_at: str
    lines: list[dict[str, Any]]
    status: str = "partially_received"


class InspectionRecorded(DomainEvent):
    event_type: ClassVar[str] = "production.inspection.recorded"
    inspection_id: str
    order_id: str
    product_sku: str
    lot: str | None
    result: str
    defects: list[dict[str, Any]] = []


def released(order_id: str, **components: str) -> OrderReleased:
    return OrderReleased(
        order_id=order_id,
        product_sku="BIKE",
        quantity="2",
        due_date="2026-12-10",
        warehouse="MAIN",
        components=[{"sku": s, "quantity": q} for s, q in components.items()],
    )


async def reservations_of(inventory: ServiceClient, reference: str) -> list[dict[str, Any]]:
    response = await inventory.get("/api/v1/reservations", params={"reference": reference})
    return response.json()["items"]  # type: ignore[no-any-return]


async def shop(inventory: ServiceClient) -> None:
    await add_item(inventory, "BIKE", kind="finished", standard_cost="100", lot_tracked=True)
    await add_item(inventory, "WHEEL", standard_cost="2")
    await add_item(inventory, "FRAME", standard_cost="4")
    await move(inventory, "receipt", "WHEEL", "10")
    await move(inventory, "receipt", "FRAME", "5")


async def test_released_orders_reserve_or_are_rejected_and_cancelled_ones_release(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    await shop(inventory)
    event_id = new_id()
    await produce(
        inventory,
        "production",
        [
            (released("WO-1", WHEEL="4", FRAME="2"), "WO-1", event_id, 1),
            (released("WO-1", WHEEL="4", FRAME="2"), "WO-1", event_id, 1),  # redelivered
            (released("WO-2", WHEEL="4", FRAME="9"), "WO-2", new_id(), 1),
        ],
    )

    async def decided() -> bool:
        return bool(await published(inventory, "inventory.reservation.rejected"))

    await eventually(decided, timeout=20)
    [reservation] = await reservations_of(inventory, "WO-1")
    assert reservation["status"] == "confirmed"
    assert [(li["sku"], li["quantity"], li["warehouse"]) for li in reservation["lines"]] == [
        ("WHEEL", "4", "MAIN"),
        ("FRAME", "2", "MAIN"),
    ]
    [rejected] = await published(inventory, "inventory.reservation.rejected")
    assert rejected["subject"] == "WO-2"
    assert rejected["data"] == {
        "reference": "WO-2",
        "shortages": [{"sku": "FRAME", "requested": "9", "available": "3"}],
    }
    assert await reservations_of(inventory, "WO-2") == []
    assert (await stock(inventory, "WHEEL"))["reserved"] == "4"

    await produce(inventory, "production", [(OrderCancelled(order_id="WO-1"), "WO-1", new_id(), 2)])

    async def released_again() -> bool:
        return (await stock(inventory, "WHEEL"))["reserved"] == "0"

    await eventually(released_again, timeout=20)
    assert (await reservations_of(inventory, "WO-1"))[0]["status"] == "released"


async def test_completed_orders_issue_components_and_receive_output_at_materials_plus_conversion(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    await shop(inventory)
    completed = OrderCompleted(
        order_id="WO-7",
        product_sku="BIKE",
        good_quantity="2",
        scrap_quantity="0",
        lot="LOT-7",
        warehouse="MAIN",
        components=[{"sku": "WHEEL", "quantity": "4"}, {"sku": "FRAME", "quantity": "2"}],
        conversion_cost="5",
    )
    without_reservation = completed.model_copy(
        update={
            "conversion_cost": "0",
            "order_id": "WO-8",
            "lot": None,
            "good_quantity": "1",
            "components": [{"sku": "WHEEL", "quantity": "2"}],
        }
    )
    await produce(
        inventory,
        "production",
        [
            (released("WO-7", WHEEL="4", FRAME="2"), "WO-7", new_id(), 1),
            (completed, "WO-7", new_id(), 2),
            (completed, "WO-7", new_id(), 3),  # published twice: the output is received once
            (without_reservation, "WO-8", new_id(), 1),
        ],
    )

    async def received() -> dict[str, Any] | None:
        bike = await stock(inventory, "BIKE")
        return bike if bike["on_hand"] == "3" else None

    bike = await eventually(received, timeout=20)
    ledger = (await inventory.get("/api/v1/movements", params={"reference": "WO-7"})).json()[
        "items"
    ]
    assert [(m["kind"], m["sku"], m["quantity"], m["value"]) for m in ledger] == [
        ("issue", "FRAME", "2", "8"),
        ("issue", "WHEEL", "4", "8"),
        ("receipt", "BIKE", "2", "21"),
    ]
    # the output is worth its materials plus the order's conversion cost
    assert ledger[2]["lot"] == "LOT-7" and ledger[2]["unit_cost"] == "10.5"
    assert (await reservations_of(inventory, "WO-7"))[0]["status"] == "consumed"
    wo8 = (await inventory.get("/api/v1/movements", params={"reference": "WO-8"})).json()["items"]
    assert [(m["kind"], m["sku"], m["quantity"], m["lot"]) for m in wo8] == [
        ("issue", "WHEEL", "2", None),
        ("receipt", "BIKE", "1", "WO-8"),
    ]
    assert wo8[1]["unit_cost"] == "4"
    assert [(lv["lot"], lv["on_hand"]) for lv in bike["levels"]] == [("LOT-7", "2"), ("WO-8", "1")]
    wheel = await stock(inventory, "WHEEL")
    assert (wheel["on_hand"], wheel["reserved"]) == ("4", "0")


async def test_a_purchase_receipt_moves_stock_once_however_often_it_is_delivered(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "BOLT", standard_cost="1")
    await add_item(inventory, "NUT", standard_cost="1")

    def receipt(receipt_id: str, quantity: str) -> PurchaseOrderReceived:
        return PurchaseOrderReceived(
            purchase_order_id="PO-1",
            receipt_id=receipt_id,
            warehouse="DOCK",
            received_at="2026-11-27T10:00:00Z",
            lines=[
                {"sku": "BOLT", "quantity": quantity, "unit_price": "0.5", "lot": "B-1"},
                {"sku": "NUT", "quantity": "7", "unit_price": "0.25"},
                {"sku": "UNKNOWN", "quantity": "1", "unit_price": "1"},
            ],
        )

    first_id = new_id()
    await produce(
        inventory,
        "logistics",
        [
            (receipt("RC-1", "100"), "PO-1", first_id, 1),
            (receipt("RC-1", "100"), "PO-1", first_id, 1),  # redelivered: same event
            (
                receipt("RC-1", "100"),
                "PO-1",
                new_id(),
                2,
            ),  # republished: another event, same receipt
            (receipt("RC-2", "20"), "PO-1", new_id(), 3),
        ],
    )

    async def second_booked() -> bool:
        ledger = await inventory.get("/api/v1/movements", params={"reference": "RC-2"})
        return ledger.json()["total"] == 2

    await eventually(second_booked, timeout=20)
    bolt = await stock(inventory, "BOLT")
    assert bolt["on_hand"] == "120" and bolt["average_cost"] == "0.5"
    assert bolt["by_warehouse"][0]["warehouse"] == "DOCK"
    assert (await stock(inventory, "NUT"))["on_hand"] == "14"
    first = (await inventory.get("/api/v1/movements", params={"reference": "RC-1"})).json()
    assert [(m["sku"], m["quantity"], m["lot"]) for m in first["items"]] == [
        ("BOLT", "100", "B-1"),
        ("NUT", "7", None),
    ]


async def test_a_failed_inspection_holds_the_lot_and_what_arrives_into_it(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "BIKE", kind="finished", lot_tracked=True)
    await move(inventory, "receipt", "BIKE", "5", lot="L1")
    await move(inventory, "receipt", "BIKE", "3", lot="L2")

    def inspection(lot: str | None, result: str) -> InspectionRecorded:
        return InspectionRecorded(
            inspection_id=new_id(), order_id="WO-1", product_sku="BIKE", lot=lot, result=result
        )

    await produce(
        inventory,
        "production",
        [
            (inspection("L2", "pass"), "I-1", new_id(), 1),
            (inspection(None, "fail"), "I-2", new_id(), 1),
            (inspection("L1", "fail"), "I-3", new_id(), 1),
        ],
    )

    async def held() -> bool:
        return (await stock(inventory, "BIKE"))["on_hold"] == "5"

    await eventually(held, timeout=20)
    [event] = await published(inventory, "inventory.lot.held")
    assert event["subject"] == "BIKE:L1"
    assert event["data"] == {
        "sku": "BIKE",
        "lot": "L1",
        "quantity": "5",
        "reason": event["data"]["reason"],
    }
    refused = await inventory.post(
        "/api/v1/reservations",
        json={"reference": "DO-1", "lines": [{"sku": "BIKE", "quantity": "4"}]},
    )
    assert refused.status_code == 409 and refused.json()["shortages"][0]["available"] == "3"
    blocked = await inventory.post(
        "/api/v1/movements", json={"kind": "issue", "sku": "BIKE", "quantity": "1", "lot": "L1"}
    )
    assert blocked.status_code == 409

    await move(inventory, "receipt", "BIKE", "2", lot="L1")
    now = await stock(inventory, "BIKE")
    assert (now["on_hand"], now["on_hold"], now["available"]) == ("10", "7", "3")
    assert (await inventory.post("/api/v1/stock/rebuild")).json()["corrected"] == []
