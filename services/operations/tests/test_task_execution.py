"""Starting, pausing, resuming and completing tasks: actual times, events, illegal transitions."""

from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal

from services.operations.tests.support import (
    ScheduleForTest,
    add_work_center,
    apply_directly,
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
        operation("O1", 10, "CUT", "2026-12-01T08:00:00+00:00", "2026-12-01T09:00:00+00:00"),
        operation("O1", 20, "WELD", "2026-12-01T09:00:00+00:00", "2026-12-01T11:00:00+00:00"),
    ],
)


async def _planned(ops: ServiceClient) -> tuple[str, str]:
    await add_work_center(ops, "CUT", cost_per_hour="42.5")
    await add_work_center(ops, "WELD", cost_per_hour="80")
    await apply_directly(ops, SCHEDULE)
    await reserve_materials(ops, "O1")
    (cut,) = await tasks_of(ops, "CUT")
    (weld,) = await tasks_of(ops, "WELD")
    return cut["id"], weld["id"]


def _minutes(start: str, end: str) -> Decimal:
    span = datetime.fromisoformat(end) - datetime.fromisoformat(start)
    return Decimal(span.total_seconds()) / 60


async def test_a_task_runs_through_its_states_and_worked_time_excludes_pauses(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    cut, weld = await _planned(ops)
    started = await ops.post(f"/api/v1/tasks/{cut}/start")
    assert started.status_code == 200, started.text
    assert started.json()["status"] == "started"
    pause = await ops.post(f"/api/v1/tasks/{cut}/pause", json={"reason": "setup"})
    assert pause.json()["status"] == "paused"
    await asyncio.sleep(0.6)
    assert (await ops.post(f"/api/v1/tasks/{cut}/resume")).json()["status"] == "started"
    done = await ops.post(
        f"/api/v1/tasks/{cut}/complete", json={"good_quantity": "9", "scrap_quantity": "1"}
    )
    assert done.status_code == 200, done.text
    task = done.json()
    assert task["status"] == "completed"
    assert (task["good_quantity"], task["scrap_quantity"]) == ("9", "1")
    elapsed = _minutes(task["started_at"], task["completed_at"])
    paused = Decimal(task["paused_minutes"])
    assert paused >= Decimal("0.01")  # 0.6 s at least
    assert Decimal(task["worked_minutes"]) < elapsed
    assert abs(Decimal(task["worked_minutes"]) + paused - elapsed) < Decimal("0.0001")
    assert await tasks_of(ops, "CUT") == []  # the open list no longer shows it
    assert len(await tasks_of(ops, "CUT", "?status=completed")) == 1

    assert await published(ops, "operations.task.started") == [
        {
            "task_id": cut,
            "order_id": "O1",
            "sequence": 10,
            "work_center": "CUT",
            "started_at": task["started_at"],
            "operator": "developer",
            "override_reason": None,
            "waited_for": [],
        }
    ]
    (completed,) = await published(ops, "operations.task.completed")
    assert completed == {
        "task_id": cut,
        "order_id": "O1",
        "sequence": 10,
        "work_center": "CUT",
        "started_at": task["started_at"],
        "completed_at": task["completed_at"],
        "good_quantity": "9",
        "scrap_quantity": "1",
        "worked_minutes": completed["worked_minutes"],
        "cost_per_hour": "42.5",
        "last_operation": False,
        "operator": "developer",
    }
    assert Decimal(completed["worked_minutes"]) == Decimal(task["worked_minutes"])

    await ops.post(f"/api/v1/tasks/{weld}/start")
    await ops.post(f"/api/v1/tasks/{weld}/complete", json={"good_quantity": "9"})
    last = (await published(ops, "operations.task.completed"))[-1]
    assert (last["sequence"], last["last_operation"], last["cost_per_hour"]) == (20, True, "80")
    assert last["scrap_quantity"] == "0"


async def test_illegal_transitions_are_409_and_change_nothing(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    cut, _ = await _planned(ops)
    body = {"good_quantity": "1"}
    bodies = {"pause": {"reason": "break"}, "resume": {}, "complete": body, "start": {}}
    before = (await ops.get(f"/api/v1/tasks/{cut}")).json()
    for action in ("pause", "resume", "complete"):
        response = await ops.post(f"/api/v1/tasks/{cut}/{action}", json=bodies[action])
        assert response.status_code == 409, (action, response.text)
        assert response.json()["type"].endswith("illegal-transition")
    assert (await ops.get(f"/api/v1/tasks/{cut}")).json() == before
    await ops.post(f"/api/v1/tasks/{cut}/start")
    assert (await ops.post(f"/api/v1/tasks/{cut}/start")).status_code == 409
    assert (await ops.post(f"/api/v1/tasks/{cut}/resume")).status_code == 409
    await ops.post(f"/api/v1/tasks/{cut}/complete", json=body)
    completed = (await ops.get(f"/api/v1/tasks/{cut}")).json()
    for action in ("start", "pause", "resume", "complete"):
        answer = await ops.post(f"/api/v1/tasks/{cut}/{action}", json=bodies[action])
        assert answer.status_code == 409, (action, answer.text)
    assert (await ops.get(f"/api/v1/tasks/{cut}")).json() == completed
    assert len(await published(ops, "operations.task.started")) == 1
    assert len(await published(ops, "operations.task.completed")) == 1
    bad = await ops.post(f"/api/v1/tasks/{cut}/complete", json={"good_quantity": "-1"})
    assert bad.status_code == 422
    assert (await ops.post("/api/v1/tasks/nope/start")).status_code == 404


async def test_a_work_center_runs_no_more_tasks_at_once_than_it_has_units(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "PRESS", capacity=1)
    await add_work_center(ops, "PAINT", capacity=2)
    at = "2026-12-01T08:00:00+00:00", "2026-12-01T09:00:00+00:00"
    await apply_directly(
        ops,
        ScheduleForTest(
            schedule_id="S2",
            version=1,
            operations=[
                operation(f"O{n}", 10, center, *at)
                for n in range(3)
                for center in ("PRESS", "PAINT")
            ],
        ),
    )
    await reserve_materials(ops, "O0", "O1", "O2")
    first, second, third = [t["id"] for t in await tasks_of(ops, "PRESS")]

    async def act(task: str, action: str) -> int:
        body = {"reason": "material"} if action == "pause" else None
        response = await ops.post(f"/api/v1/tasks/{task}/{action}", json=body)
        if response.status_code == 409:
            assert response.headers["content-type"].startswith("application/problem+json")
        return response.status_code

    assert await act(first, "start") == 200
    busy = await ops.post(f"/api/v1/tasks/{second}/start")
    assert busy.status_code == 409
    assert (busy.json()["work_center"], busy.json()["running_task_ids"]) == ("PRESS", [first])
    assert {t["id"]: t["status"] for t in await tasks_of(ops, "PRESS")}[second] == "planned"
    # A paused task frees its unit; resuming needs it back.
    assert await act(first, "pause") == 200
    assert await act(second, "start") == 200
    assert await act(first, "resume") == 409
    complete = {"good_quantity": "10", "scrap_quantity": "0"}
    assert (await ops.post(f"/api/v1/tasks/{second}/complete", json=complete)).status_code == 200
    assert await act(first, "resume") == 200
    assert await act(third, "start") == 409

    # Two units: two at once, not three; starts racing for the last unit take it once.
    painting = [t["id"] for t in await tasks_of(ops, "PAINT")]
    assert await act(painting[0], "start") == 200
    answers = await asyncio.gather(*(act(task, "start") for task in painting[1:]))
    assert sorted(answers) == [200, 409]
