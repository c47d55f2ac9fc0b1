"""Dispatch lists built from production's published schedules, and rebuilt when one is replaced."""

from __future__ import annotations

import uuid

from services.operations.tests.support import (
    ScheduleForTest,
    add_work_center,
    foreign_event,
    operation,
    reserve_materials,
    tasks_of,
)
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually

FIRST = ScheduleForTest(
    schedule_id="S1",
    version=1,
    operations=[
        operation("O1", 10, "CUT", "2026-12-01T08:00:00+00:00", "2026-12-01T09:00:00+00:00"),
        operation("O1", 20, "WELD", "2026-12-01T09:00:00+00:00", "2026-12-01T11:00:00+00:00"),
        operation("O2", 10, "CUT", "2026-12-01T07:00:00+00:00", "2026-12-01T08:00:00+00:00", "5"),
    ],
)
SECOND = ScheduleForTest(
    schedule_id="S2",
    version=2,
    replaces="S1",
    operations=[
        operation("O1", 10, "CUT", "2026-12-02T08:00:00+00:00", "2026-12-02T09:00:00+00:00"),
        operation("O1", 20, "WELD", "2026-12-02T13:00:00+00:00", "2026-12-02T15:00:00+00:00"),
        operation("O1", 30, "CUT", "2026-12-02T15:00:00+00:00", "2026-12-02T16:00:00+00:00"),
    ],
)


async def publish(
    ops: ServiceClient, schedule: ScheduleForTest, subject: str | None = None
) -> None:
    key = subject or schedule.schedule_id
    await produce(ops, "production", [(schedule, key, str(uuid.uuid4()), schedule.version)])


async def test_a_published_schedule_becomes_dispatch_lists_in_planned_order(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "CUT")
    await add_work_center(ops, "WELD")
    await publish(ops, FIRST)
    cut = await eventually(lambda: _when_count(ops, "CUT", 2))
    assert [(t["order_id"], t["sequence"]) for t in cut] == [("O2", 10), ("O1", 10)]
    assert cut[0]["quantity"] == "5"
    assert cut[0]["product_sku"] == "BIKE"
    assert cut[0]["planned_start"] == "2026-12-01T07:00:00Z"
    assert cut[0]["status"] == "planned"
    weld = await tasks_of(ops, "WELD")
    assert [(t["order_id"], t["sequence"], t["run_minutes"]) for t in weld] == [("O1", 20, "110")]
    task = await ops.get(f"/api/v1/tasks/{weld[0]['id']}")
    assert task.json()["planned_end"] == "2026-12-01T11:00:00Z"
    assert (await ops.get("/api/v1/tasks/nope")).status_code == 404

    # A cancelled order's planned tasks leave the dispatch list; they are kept as cancelled.
    cancelled = foreign_event("production.order.cancelled", order_id="O2", reason="customer")
    await produce(ops, "production", [(cancelled, "O2", str(uuid.uuid4()), 2)])
    cut_after = await eventually(lambda: _when_count(ops, "CUT", 1))
    assert [t["order_id"] for t in cut_after] == ["O1"]
    o2 = (await ops.get(f"/api/v1/tasks/{cut[0]['id']}")).json()
    assert o2["status"] == "cancelled"
    assert len(await tasks_of(ops, "CUT", "?status=cancelled")) == 1
    assert (await ops.get("/api/v1/work-centers/NOPE/dispatch-list")).status_code == 404


async def test_a_newer_schedule_replaces_the_tasks_not_started_and_keeps_the_started(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "CUT")
    await add_work_center(ops, "WELD")
    await publish(ops, FIRST)
    cut = await eventually(lambda: _when_count(ops, "CUT", 2))
    o1_cut = next(t for t in cut if t["order_id"] == "O1")
    old_weld = (await tasks_of(ops, "WELD"))[0]
    await reserve_materials(ops, "O1")
    assert (await ops.post(f"/api/v1/tasks/{o1_cut['id']}/start")).status_code == 200

    await publish(ops, SECOND)

    async def rebuilt() -> list[dict[str, object]] | None:
        weld = await tasks_of(ops, "WELD")
        return weld if weld and weld[0]["planned_start"].startswith("2026-12-02") else None

    weld = await eventually(rebuilt)
    assert [(t["order_id"], t["sequence"]) for t in weld] == [("O1", 20)]
    assert weld[0]["id"] != old_weld["id"]
    replaced = (await ops.get(f"/api/v1/tasks/{old_weld['id']}")).json()
    assert replaced["status"] == "replaced"
    cut = await tasks_of(ops, "CUT")
    # O2 is not in the new schedule: untouched. O1's started cut stays as it was, not planned twice.
    assert [(t["order_id"], t["sequence"], t["status"], t["planned_start"]) for t in cut] == [
        ("O2", 10, "planned", "2026-12-01T07:00:00Z"),
        ("O1", 10, "started", "2026-12-01T08:00:00Z"),
        ("O1", 30, "planned", "2026-12-02T15:00:00Z"),
    ]

    # The older version arriving late (a replay under a new id) changes nothing.
    await publish(ops, FIRST)
    marker = ScheduleForTest(
        schedule_id="S9",
        version=3,
        operations=[
            operation("O9", 10, "WELD", "2026-12-09T08:00:00+00:00", "2026-12-09T09:00:00+00:00")
        ],
    )
    # Sent on the same key, so it is applied after the replay.
    await publish(ops, marker, subject="S1")
    await eventually(lambda: _when_count(ops, "WELD", 2))
    assert [(t["order_id"], t["planned_start"]) for t in await tasks_of(ops, "WELD")] == [
        ("O1", "2026-12-02T13:00:00Z"),
        ("O9", "2026-12-09T08:00:00Z"),
    ]
    assert len(await tasks_of(ops, "CUT")) == 3


async def _when_count(ops: ServiceClient, code: str, count: int) -> list[dict[str, object]] | None:
    tasks = await tasks_of(ops, code)
    return tasks if len(tasks) == count else None
