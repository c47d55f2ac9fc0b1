"""The shop floor refuses what a plant must refuse and accepts what really happens: tasks start
in order and with their materials, reports stay within what reached an operation, partial
reports add up, completed tasks are corrected by records, pauses give a loss reason."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from services.operations.tasks.models import TaskPause
from services.operations.tests.support import (
    ScheduleForTest,
    add_work_center,
    apply_directly,
    know_order,
    know_routing,
    operation,
    published,
    reserve_materials,
    tasks_of,
)
from shared.testing.stack import ServiceClient, Stack

SCHEDULE = ScheduleForTest(
    schedule_id="S1",
    version=1,
    operations=[
        operation("O1", 10, "SAW", "2026-12-01T08:00:00+00:00", "2026-12-01T09:00:00+00:00", "20"),
        operation("O1", 20, "WELD", "2026-12-01T09:00:00+00:00", "2026-12-01T11:00:00+00:00", "20"),
    ],
)


async def _planned(
    ops: ServiceClient, saw: dict[str, Any] | None = None, **weld: Any
) -> tuple[str, str]:
    await add_work_center(ops, "SAW", **(saw or {}))
    await add_work_center(ops, "WELD", **weld)
    await apply_directly(ops, SCHEDULE)
    (saw,) = await tasks_of(ops, "SAW")
    (weld_task,) = await tasks_of(ops, "WELD")
    return saw["id"], weld_task["id"]


async def _task(ops: ServiceClient, task_id: str) -> dict[str, Any]:
    return (await ops.get(f"/api/v1/tasks/{task_id}")).json()  # type: ignore[no-any-return]


async def test_a_task_not_ready_is_refused_with_what_it_waits_for_and_nothing_changes(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    saw, weld = await _planned(ops)
    before = await _task(ops, weld)

    refused = await ops.post(f"/api/v1/tasks/{weld}/start")
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["type"].endswith("task-not-ready")
    assert problem["status"] == 409
    assert problem["waiting_for"] == [
        {
            "kind": "previous_operation",
            "sequence": 10,
            "work_center": "SAW",
            "reported": "0",
            "needed": "20",
        },
        {"kind": "materials", "materials_status": "unknown"},
    ]
    assert "SAW" in problem["detail"]
    # The first operation waits for the materials only.
    first = (await ops.post(f"/api/v1/tasks/{saw}/start")).json()
    assert first["waiting_for"] == [{"kind": "materials", "materials_status": "unknown"}]
    assert await _task(ops, weld) == before
    assert await published(ops, "operations.task.started") == []

    await reserve_materials(ops, "O1")
    assert (await ops.post(f"/api/v1/tasks/{saw}/start")).status_code == 200
    report = {"good_quantity": "12", "scrap_quantity": "1"}
    assert (await ops.post(f"/api/v1/tasks/{saw}/report", json=report)).status_code == 200
    still = (await ops.post(f"/api/v1/tasks/{weld}/start")).json()
    assert still["waiting_for"] == [
        {
            "kind": "previous_operation",
            "sequence": 10,
            "work_center": "SAW",
            "reported": "12",
            "needed": "20",
        }
    ]
    # A completed previous operation lets the next start with what it made.
    assert (await ops.post(f"/api/v1/tasks/{saw}/complete")).status_code == 200
    assert (await ops.post(f"/api/v1/tasks/{weld}/start")).status_code == 200


async def test_a_routing_overlap_lets_the_next_operation_start_as_good_units_arrive(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    saw, weld = await _planned(ops)
    await know_routing(
        ops,
        "BIKE",
        {"sequence": 10, "work_center": "SAW"},
        {"sequence": 20, "work_center": "WELD", "overlap_quantity": "5"},
    )
    await reserve_materials(ops, "O1")
    await ops.post(f"/api/v1/tasks/{saw}/start")
    await ops.post(f"/api/v1/tasks/{saw}/report", json={"good_quantity": "4"})
    waiting = (await ops.post(f"/api/v1/tasks/{weld}/start")).json()
    assert waiting["waiting_for"][0]["needed"] == "5"
    await ops.post(f"/api/v1/tasks/{saw}/report", json={"good_quantity": "2"})
    assert (await ops.post(f"/api/v1/tasks/{weld}/start")).status_code == 200
    # Only what reached it may be reported: 6 good so far at the saw.
    beyond = await ops.post(f"/api/v1/tasks/{weld}/report", json={"good_quantity": "7"})
    assert beyond.status_code == 409
    assert beyond.json()["type"].endswith("quantity-beyond-reached")
    assert (beyond.json()["reached"], beyond.json()["limit"]) == ("6", "6")
    ok = await ops.post(f"/api/v1/tasks/{weld}/report", json={"good_quantity": "6"})
    assert ok.status_code == 200, ok.text
    await ops.post(f"/api/v1/tasks/{saw}/report", json={"good_quantity": "14"})
    more = await ops.post(f"/api/v1/tasks/{weld}/report", json={"good_quantity": "14"})
    assert more.status_code == 200, more.text
    assert more.json()["reported_good"] == "20"


async def test_reports_beyond_what_reached_the_operation_are_refused_within_the_tolerance(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    saw, weld = await _planned(ops, report_tolerance_percent="10")
    await reserve_materials(ops, "O1")
    await ops.post(f"/api/v1/tasks/{saw}/start")
    before = await _task(ops, saw)
    too_much = {"good_quantity": "25", "scrap_quantity": "2"}
    for action in ("report", "complete"):
        refused = await ops.post(f"/api/v1/tasks/{saw}/{action}", json=too_much)
        assert refused.status_code == 409, (action, refused.text)
        assert refused.json()["type"].endswith("quantity-beyond-reached")
        assert refused.json()["reached"] == "20"
    for bad in (
        {"good_quantity": "-1"},
        {"good_quantity": "1", "scrap_quantity": "-2"},
        {"good_quantity": "0", "scrap_quantity": "0"},
        {"good_quantity": "abc"},
        {"good_quantity": "1e40"},
        {"good_quantity": "1", "extra": "x"},
    ):
        assert (await ops.post(f"/api/v1/tasks/{saw}/report", json=bad)).status_code == 422, bad
    assert await _task(ops, saw) == before
    assert await published(ops, "operations.task.reported") == []

    # The saw (no tolerance) makes exactly the order; the weld may go 10 % over what reached it.
    await ops.post(
        f"/api/v1/tasks/{saw}/complete", json={"good_quantity": "18", "scrap_quantity": "2"}
    )
    await ops.post(f"/api/v1/tasks/{weld}/start")
    over = await ops.post(f"/api/v1/tasks/{weld}/report", json={"good_quantity": "20"})
    assert over.status_code == 409
    assert over.json()["limit"] == "19.8"
    done = await ops.post(
        f"/api/v1/tasks/{weld}/complete", json={"good_quantity": "18", "scrap_quantity": "1.8"}
    )
    assert done.status_code == 200, done.text


async def test_partial_reports_add_up_and_completion_closes_with_what_was_reported(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    saw, weld = await _planned(ops)
    await reserve_materials(ops, "O1")
    await ops.post(f"/api/v1/tasks/{saw}/start", json={"operator": "badge-7"})
    for good, scrap in (("5", "0"), ("7", "1")):
        report = await ops.post(
            f"/api/v1/tasks/{saw}/report",
            json={"good_quantity": good, "scrap_quantity": scrap, "scrap_reason": "burr"},
        )
        assert report.status_code == 200, report.text
    paused = await ops.post(f"/api/v1/tasks/{saw}/pause", json={"reason": "break"})
    assert paused.status_code == 200
    # A report while paused still counts; completing without a body closes with the totals.
    await ops.post(f"/api/v1/tasks/{saw}/report", json={"good_quantity": "6"})
    done = await ops.post(f"/api/v1/tasks/{saw}/complete")
    assert done.status_code == 200, done.text
    task = done.json()
    assert (task["good_quantity"], task["scrap_quantity"]) == ("18", "1")
    assert (task["started_by"], task["completed_by"]) == ("badge-7", "developer")
    reports = (await ops.get(f"/api/v1/tasks/{saw}/reports")).json()
    assert [(r["good_quantity"], r["scrap_quantity"]) for r in reports] == [
        ("5", "0"),
        ("7", "1"),
        ("6", "0"),
    ]
    events = await published(ops, "operations.task.reported")
    assert [(e["total_good"], e["total_scrap"]) for e in events] == [
        ("5", "0"),
        ("12", "1"),
        ("18", "1"),
    ]
    assert events[0]["operator"] == "developer"
    (completed,) = await published(ops, "operations.task.completed")
    assert (completed["good_quantity"], completed["scrap_quantity"]) == ("18", "1")

    # Completing with quantities after reports makes them the last report.
    await ops.post(f"/api/v1/tasks/{weld}/start")
    await ops.post(f"/api/v1/tasks/{weld}/report", json={"good_quantity": "10"})
    last = await ops.post(
        f"/api/v1/tasks/{weld}/complete",
        json={"good_quantity": "7", "scrap_quantity": "1", "operator": "badge-9"},
    )
    assert (last.json()["good_quantity"], last.json()["completed_by"]) == ("17", "badge-9")


async def test_a_supervisor_may_start_a_task_not_ready_and_the_reason_is_kept(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    _, weld = await _planned(ops)
    override = {"override_reason": "Frames cut by hand for this rework"}
    operator = {"Authorization": f"Bearer {stack.token('operations:read operations:write')}"}
    refused = await ops.post(f"/api/v1/tasks/{weld}/start", json=override, headers=operator)
    assert refused.status_code == 403
    assert (await _task(ops, weld))["status"] == "planned"

    supervisor = {
        "Authorization": "Bearer "
        + stack.token("operations:read operations:write operations:supervise", subject="sam")
    }
    started = await ops.post(f"/api/v1/tasks/{weld}/start", json=override, headers=supervisor)
    assert started.status_code == 200, started.text
    task = started.json()
    assert (task["override_reason"], task["overridden_by"]) == (override["override_reason"], "sam")
    timeline = (await ops.get("/api/v1/orders/O1/timeline")).json()["events"]
    (entry,) = [e for e in timeline if e["event_type"] == "operations.task.started"]
    assert entry["data"]["override_reason"] == override["override_reason"]
    assert [w["kind"] for w in entry["data"]["waited_for"]] == ["previous_operation", "materials"]


async def test_a_completed_task_is_corrected_by_a_record_and_its_reports_stay(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    saw, weld = await _planned(ops)
    await reserve_materials(ops, "O1")
    correction = {"good_quantity": "18", "scrap_quantity": "2", "reason": "Two frames cracked"}
    await ops.post(f"/api/v1/tasks/{saw}/start")
    early = await ops.post(f"/api/v1/tasks/{saw}/corrections", json=correction)
    assert early.status_code == 409
    await ops.post(f"/api/v1/tasks/{saw}/complete", json={"good_quantity": "20"})

    for bad in (
        {**correction, "reason": ""},
        {"good_quantity": "18", "scrap_quantity": "2"},
        {**correction, "good_quantity": "-1"},
    ):
        assert (await ops.post(f"/api/v1/tasks/{saw}/corrections", json=bad)).status_code == 422
    beyond = await ops.post(
        f"/api/v1/tasks/{saw}/corrections", json={**correction, "scrap_quantity": "3"}
    )
    assert beyond.status_code == 409
    assert beyond.json()["type"].endswith("quantity-beyond-reached")

    made = await ops.post(f"/api/v1/tasks/{saw}/corrections", json=correction)
    assert made.status_code == 201, made.text
    record = made.json()
    assert (record["old_good_quantity"], record["old_scrap_quantity"]) == ("20", "0")
    assert (record["good_quantity"], record["scrap_quantity"]) == ("18", "2")
    assert (record["reason"], record["corrected_by"]) == ("Two frames cracked", "developer")
    task = await _task(ops, saw)
    assert (task["good_quantity"], task["scrap_quantity"], task["status"]) == (
        "18",
        "2",
        "completed",
    )
    reports = (await ops.get(f"/api/v1/tasks/{saw}/reports")).json()
    assert [r["good_quantity"] for r in reports] == ["20"]
    assert len((await ops.get(f"/api/v1/tasks/{saw}/corrections")).json()) == 1
    (event,) = await published(ops, "operations.task.corrected")
    assert (event["old_good_quantity"], event["good_quantity"], event["last_operation"]) == (
        "20",
        "18",
        False,
    )
    # OEE counts the corrected quantities.
    window = {
        "work_center": "SAW",
        "start": task["started_at"],
        "end": datetime.now(UTC).isoformat(),
    }
    oee = (await ops.get("/api/v1/kpis/oee", params=window)).json()
    assert (oee["good"], oee["total"], oee["quality"]) == ("18", "20", "0.9")

    # The weld has used 18 frames: the saw cannot be corrected below that any more.
    await ops.post(f"/api/v1/tasks/{weld}/start")
    await ops.post(f"/api/v1/tasks/{weld}/report", json={"good_quantity": "18"})
    below = await ops.post(
        f"/api/v1/tasks/{saw}/corrections", json={**correction, "good_quantity": "17"}
    )
    assert below.status_code == 409
    assert (await _task(ops, saw))["good_quantity"] == "18"


async def test_a_pause_needs_a_loss_reason_and_oee_splits_availability_losses_by_reason(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    always = {
        "timezone": "UTC",
        "shifts": [{"weekday": d, "start": "00:00", "end": "24:00"} for d in range(7)],
    }
    saw, _ = await _planned(ops, saw={"calendar": always})
    reasons = (await ops.get("/api/v1/loss-reasons")).json()
    assert [r["code"] for r in reasons] == [
        "break",
        "breakdown",
        "material",
        "other",
        "quality",
        "setup",
    ]
    await reserve_materials(ops, "O1")
    await ops.post(f"/api/v1/tasks/{saw}/start")
    for bad in (None, {}, {"reason": "coffee"}):
        assert (await ops.post(f"/api/v1/tasks/{saw}/pause", json=bad)).status_code == 422
    assert (await _task(ops, saw))["status"] == "started"

    paused = await ops.post(
        f"/api/v1/tasks/{saw}/pause", json={"reason": "material", "note": "no M8 bolts"}
    )
    assert paused.status_code == 200
    assert paused.json()["pause_reason"] == "material"
    await asyncio.sleep(1.2)
    await ops.post(f"/api/v1/tasks/{saw}/resume", json={"operator": "badge-3"})
    async with ops.app.state.database.transaction() as session:
        (pause,) = (await session.execute(select(TaskPause))).scalars()
        assert (pause.operator, pause.resumed_by, pause.note) == (
            "developer",
            "badge-3",
            "no M8 bolts",
        )
        assert pause.ended_at is not None
    (event,) = await published(ops, "operations.task.paused")
    assert (event["reason"], event["note"], event["operator"]) == (
        "material",
        "no M8 bolts",
        "developer",
    )
    start = (await _task(ops, saw))["started_at"]
    window = {"work_center": "SAW", "start": start, "end": datetime.now(UTC).isoformat()}
    oee = (await ops.get("/api/v1/kpis/oee", params=window)).json()
    (loss,) = oee["availability_losses"]
    assert loss["reason"] == "material"
    assert Decimal(loss["minutes"]) >= Decimal("0.02")
    assert Decimal(oee["paused_minutes"]) == Decimal(loss["minutes"])
    assert Decimal(oee["run_minutes"]) == Decimal(oee["planned_minutes"]) - Decimal(
        oee["paused_minutes"]
    )


async def test_dispatch_rows_carry_the_order_and_readiness_and_paths_take_codes_and_numbers(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    saw, weld = await _planned(ops)
    await know_order(
        ops,
        "O1",
        number="MO-0000O1",
        product_sku="BIKE",
        quantity="20",
        due_date="2026-12-15",
        priority=7,
    )
    (row,) = await tasks_of(ops, "WELD")
    assert {k: row[k] for k in ("order_number", "product_sku", "due_date", "priority")} == {
        "order_number": "MO-0000O1",
        "product_sku": "BIKE",
        "due_date": "2026-12-15",
        "priority": 7,
    }
    assert (row["quantity"], row["reported_good"], row["readiness"]) == ("20", "0", "waiting")
    assert [w["kind"] for w in row["waiting_for"]] == ["previous_operation", "materials"]
    assert row["waiting_for"][1]["materials_status"] == "pending"
    assert (row["planned_start"], row["planned_end"]) == (
        "2026-12-01T09:00:00Z",
        "2026-12-01T11:00:00Z",
    )
    await reserve_materials(ops, "O1")
    (saw_row,) = await tasks_of(ops, "SAW")
    assert (saw_row["readiness"], saw_row["waiting_for"]) == ("late", [])
    assert await tasks_of(ops, "SAW", "?day=2026-12-02") == []
    assert len(await tasks_of(ops, "SAW", "?day=2026-12-01")) == 1
    assert (
        await ops.get("/api/v1/work-centers/SAW/dispatch-list?day=2026-13-01")
    ).status_code == 422

    # The work center's code names its next task; the order's number its first open one.
    assert (await ops.get("/api/v1/tasks/SAW")).json()["id"] == saw
    assert (await ops.get("/api/v1/tasks/mo-0000o1")).json()["id"] == saw
    started = await ops.post("/api/v1/tasks/SAW/start", json={"operator": "badge-1"})
    assert (started.json()["id"], started.json()["started_by"]) == (saw, "badge-1")
    await ops.post("/api/v1/tasks/MO-0000O1/complete", json={"good_quantity": "20"})
    assert (await ops.get("/api/v1/tasks/MO-0000O1")).json()["id"] == weld
    assert (await ops.get("/api/v1/tasks/NOTHING")).status_code == 404
    timeline = (await ops.get("/api/v1/orders/MO-0000O1/timeline")).json()
    assert timeline["order_id"] == "O1"
    assert [e["event_type"] for e in timeline["events"]] == [
        "operations.task.started",
        "operations.task.reported",
        "operations.task.completed",
    ]


async def test_the_new_task_events_are_in_the_asyncapi_document(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    document = (await ops.get("/asyncapi.json")).json()
    schemas = document["components"]["schemas"]
    for event_type in (
        "operations.task.reported",
        "operations.task.corrected",
        "operations.task.paused",
    ):
        assert event_type.replace(".", "_") in document["components"]["messages"], event_type
    assert {"total_good", "total_scrap", "operator"} <= set(
        schemas["operations_task_reported"]["properties"]
    )
    assert "reason" in schemas["operations_task_paused"]["required"]


async def test_racing_reports_cannot_together_exceed_what_reached_the_operation(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    saw, weld = await _planned(ops)
    await reserve_materials(ops, "O1")
    await ops.post(f"/api/v1/tasks/{saw}/start")
    answers = await asyncio.gather(
        *(ops.post(f"/api/v1/tasks/{saw}/report", json={"good_quantity": "15"}) for _ in range(2))
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert (await _task(ops, saw))["reported_good"] == "15"
    # A report on the next operation and a correction of this one race on the same locks.
    await ops.post(f"/api/v1/tasks/{saw}/complete")
    await ops.post(f"/api/v1/tasks/{weld}/start")
    report, correction = await asyncio.gather(
        ops.post(f"/api/v1/tasks/{weld}/report", json={"good_quantity": "15"}),
        ops.post(
            f"/api/v1/tasks/{saw}/corrections",
            json={"good_quantity": "10", "scrap_quantity": "0", "reason": "recount"},
        ),
    )
    assert sorted((report.status_code, correction.status_code)) in ([200, 409], [201, 409])
    saw_good = Decimal((await _task(ops, saw))["good_quantity"])
    assert Decimal((await _task(ops, weld))["reported_good"]) <= saw_good
