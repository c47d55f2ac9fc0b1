"""Operations learns an order's number, due date and materials from production's and inventory's
events, whichever topic brings its news first."""

from __future__ import annotations

import uuid
from typing import Any

from services.operations.tests.support import (
    ScheduleForTest,
    add_work_center,
    apply_directly,
    foreign_event,
    operation,
    tasks_of,
)
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually

SCHEDULE = ScheduleForTest(
    schedule_id="S1",
    version=1,
    operations=[
        operation("O1", 10, "SAW", "2026-12-01T08:00:00+00:00", "2026-12-01T09:00:00+00:00"),
        operation("O2", 10, "SAW", "2026-12-01T09:00:00+00:00", "2026-12-01T10:00:00+00:00"),
    ],
)


def _id() -> str:
    return str(uuid.uuid4())


def _released(order_id: str, attempt: int) -> Any:
    return foreign_event(
        "production.order.released",
        order_id=order_id,
        product_sku="BIKE",
        quantity="10",
        due_date="2026-12-10",
        priority=3,
        warehouse="MAIN",
        bom_id="B1",
        bom_version=1,
        components=[],
        reservation_attempt=attempt,
    )


def _reservation(outcome: str, order_id: str, **data: Any) -> Any:
    return foreign_event(f"inventory.reservation.{outcome}", reference=order_id, **data)


async def _materials(ops: ServiceClient, order_id: str, wanted: str) -> dict[str, Any] | None:
    row = next(t for t in await tasks_of(ops, "SAW") if t["order_id"] == order_id)
    waits = [w.get("materials_status") for w in row["waiting_for"] if w["kind"] == "materials"]
    found = waits[0] if waits else "reserved"
    return row if found == wanted else None


async def test_materials_follow_release_rejection_and_confirmation_in_any_order(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "SAW")
    await apply_directly(ops, SCHEDULE)
    created = foreign_event(
        "production.order.created",
        order_id="O1",
        number="MO-00000001",
        product_sku="BIKE",
        quantity="10",
        due_date="2026-12-10",
        status="planned",
        priority=3,
        warehouse="MAIN",
    )
    await produce(
        ops, "production", [(created, "O1", _id(), 1), (_released("O1", 1), "O1", _id(), 2)]
    )
    row = await eventually(lambda: _materials(ops, "O1", "pending"))
    assert (row["order_number"], row["due_date"], row["priority"]) == (
        "MO-00000001",
        "2026-12-10",
        3,
    )
    refused = await ops.post(f"/api/v1/tasks/{row['id']}/start")
    assert refused.json()["waiting_for"] == [{"kind": "materials", "materials_status": "pending"}]

    rejected = _reservation(
        "rejected", "O1", shortages=[{"sku": "TUBE", "requested": "10", "available": "4"}]
    )
    await produce(ops, "inventory", [(rejected, "O1", _id(), 1)])
    await eventually(lambda: _materials(ops, "O1", "short"))
    # The order asks again: pending, then reserved.
    await produce(ops, "production", [(_released("O1", 2), "O1", _id(), 3)])
    await eventually(lambda: _materials(ops, "O1", "pending"))
    confirmed = _reservation("confirmed", "O1", reservation_id="R1", lines=[])
    await produce(ops, "inventory", [(confirmed, "O1", _id(), 2)])
    ready = await eventually(lambda: _materials(ops, "O1", "reserved"))
    assert (await ops.post(f"/api/v1/tasks/{ready['id']}/start")).status_code == 200

    # Inventory's confirmation may arrive before production's release: the order stays reserved.
    early = _reservation("confirmed", "O2", reservation_id="R2", lines=[])
    await produce(ops, "inventory", [(early, "O2", _id(), 1)])
    await eventually(lambda: _materials(ops, "O2", "reserved"))
    await produce(ops, "production", [(_released("O2", 1), "O2", _id(), 1)])
    await eventually(lambda: _materials_number(ops, "O2"))
    assert await _materials(ops, "O2", "reserved") is not None


async def _materials_number(ops: ServiceClient, order_id: str) -> bool:
    row = next(t for t in await tasks_of(ops, "SAW") if t["order_id"] == order_id)
    return row["priority"] == 3
