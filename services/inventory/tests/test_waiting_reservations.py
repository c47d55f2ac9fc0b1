"""Released orders short of components are reserved when the components arrive, oldest due first."""

from __future__ import annotations

from services.inventory.tests.support import add_item, move, published, stock
from services.inventory.tests.test_event_handlers import (
    OrderCancelled,
    OrderReleased,
    PurchaseOrderReceived,
    reservations_of,
)
from shared.db import new_id
from shared.testing.producer import produce
from shared.testing.stack import Stack, eventually


def short_order(order_id: str, due_date: str, frames: str) -> OrderReleased:
    return OrderReleased(
        order_id=order_id,
        product_sku="BIKE",
        quantity="1",
        due_date=due_date,
        warehouse="MAIN",
        components=[{"sku": "FRAME", "quantity": frames}, {"sku": "WHEEL", "quantity": "2"}],
    )


def frames_received(receipt_id: str, quantity: str) -> PurchaseOrderReceived:
    return PurchaseOrderReceived(
        purchase_order_id="PO-FRAMES",
        receipt_id=receipt_id,
        warehouse="MAIN",
        received_at="2026-12-01T10:00:00Z",
        lines=[{"sku": "FRAME", "quantity": quantity, "unit_price": "4"}],
    )


async def test_a_receipt_reserves_the_orders_waiting_for_it_oldest_due_first(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "FRAME", standard_cost="4")
    await add_item(inventory, "WHEEL", standard_cost="2")
    await move(inventory, "receipt", "WHEEL", "10")
    await produce(
        inventory,
        "production",
        [
            (short_order("WO-LATER", "2026-12-20", "4"), "WO-LATER", new_id(), 1),
            (short_order("WO-SOONER", "2026-12-10", "4"), "WO-SOONER", new_id(), 1),
        ],
    )

    async def both_rejected() -> bool:
        return len(await published(inventory, "inventory.reservation.rejected")) == 2

    await eventually(both_rejected, timeout=20)

    # Five frames arrive: enough for one order, the one due first.
    await produce(
        inventory, "logistics", [(frames_received("RC-F1", "5"), "PO-FRAMES", new_id(), 1)]
    )

    async def sooner_reserved() -> bool:
        return bool(await reservations_of(inventory, "WO-SOONER"))

    await eventually(sooner_reserved, timeout=20)
    [reservation] = await reservations_of(inventory, "WO-SOONER")
    assert reservation["status"] == "confirmed"
    assert await reservations_of(inventory, "WO-LATER") == []
    # Still short, the later order waits without being rejected again.
    assert len(await published(inventory, "inventory.reservation.rejected")) == 2
    assert (await stock(inventory, "FRAME"))["reserved"] == "4"

    # Three more frames by hand: the later order is covered now.
    await move(inventory, "receipt", "FRAME", "3")
    [later] = await reservations_of(inventory, "WO-LATER")
    assert later["status"] == "confirmed"
    confirmed = await published(inventory, "inventory.reservation.confirmed")
    assert [e["data"]["reference"] for e in confirmed] == ["WO-SOONER", "WO-LATER"]
    frame = await stock(inventory, "FRAME")
    assert (frame["on_hand"], frame["reserved"], frame["available"]) == ("8", "8", "0")


async def test_a_cancelled_order_no_longer_waits_for_its_components(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "FRAME", standard_cost="4")
    await add_item(inventory, "WHEEL", standard_cost="2")
    await move(inventory, "receipt", "WHEEL", "10")
    await produce(
        inventory,
        "production",
        [
            (short_order("WO-GONE", "2026-12-10", "2"), "WO-GONE", new_id(), 1),
            (OrderCancelled(order_id="WO-GONE"), "WO-GONE", new_id(), 2),
        ],
    )

    async def rejected() -> bool:
        return bool(await published(inventory, "inventory.reservation.rejected"))

    await eventually(rejected, timeout=20)
    await move(inventory, "receipt", "FRAME", "5")
    assert await reservations_of(inventory, "WO-GONE") == []
    assert (await stock(inventory, "FRAME"))["reserved"] == "0"
