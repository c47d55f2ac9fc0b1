"""The plant keeps its own list of loss reasons: it adds and retires them, a pause gives one in
use, the station page offers them, and OEE splits availability losses by them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal

from services.operations.tests.support import (
    ScheduleForTest,
    add_work_center,
    apply_directly,
    operation,
    reserve_materials,
    tasks_of,
)
from shared.testing.stack import ServiceClient, Stack

ALWAYS = {
    "timezone": "UTC",
    "shifts": [{"weekday": d, "start": "00:00", "end": "24:00"} for d in range(7)],
}
SCHEDULE = ScheduleForTest(
    schedule_id="S1",
    version=1,
    operations=[
        operation("O1", 10, "SAW", "2026-12-01T08:00:00+00:00", "2026-12-01T09:00:00+00:00", "20"),
    ],
)


async def _started_saw_task(ops: ServiceClient) -> str:
    await add_work_center(ops, "SAW", calendar=ALWAYS)
    await apply_directly(ops, SCHEDULE)
    (task,) = await tasks_of(ops, "SAW")
    await reserve_materials(ops, "O1")
    started = await ops.post(f"/api/v1/tasks/{task['id']}/start")
    assert started.status_code == 200, started.text
    return str(task["id"])


async def _codes(ops: ServiceClient, **params: str) -> list[str]:
    answer = await ops.get("/api/v1/loss-reasons", params=params)
    assert answer.status_code == 200, answer.text
    return [reason["code"] for reason in answer.json()]


async def test_a_plant_adds_a_reason_pauses_with_it_and_oee_counts_it_apart(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    assert await _codes(ops) == ["break", "breakdown", "material", "other", "quality", "setup"]

    added = await ops.post(
        "/api/v1/loss-reasons",
        json={"code": "tool-change", "name": "Tool change", "description": "Worn blade."},
    )
    assert added.status_code == 201, added.text
    assert added.headers["location"] == "/api/v1/loss-reasons/tool-change"
    assert (added.json()["active"], added.json()["version"]) == (True, 1)
    again = await ops.post("/api/v1/loss-reasons", json={"code": "tool-change", "name": "Twice"})
    assert again.status_code == 409
    assert (await ops.get("/api/v1/loss-reasons/tool-change")).json()["name"] == "Tool change"
    for bad in ({"code": "Tool Change", "name": "x"}, {"code": "tool-change2"}):
        assert (await ops.post("/api/v1/loss-reasons", json=bad)).status_code == 422

    task = await _started_saw_task(ops)
    fragment = await ops.get("/stations/SAW/dispatch")
    assert '<option value="tool-change">Tool change</option>' in fragment.text
    paused = await ops.post(f"/api/v1/tasks/{task}/pause", json={"reason": "tool-change"})
    assert paused.status_code == 200, paused.text
    assert paused.json()["pause_reason"] == "tool-change"
    await asyncio.sleep(1.2)
    assert (await ops.post(f"/api/v1/tasks/{task}/resume")).status_code == 200

    started = (await ops.get(f"/api/v1/tasks/{task}")).json()["started_at"]
    window = {"work_center": "SAW", "start": started, "end": datetime.now(UTC).isoformat()}
    oee = (await ops.get("/api/v1/kpis/oee", params=window)).json()
    (loss,) = oee["availability_losses"]
    assert loss["reason"] == "tool-change"
    assert Decimal(loss["minutes"]) >= Decimal("0.02")


async def test_a_retired_or_unknown_reason_is_refused_and_nothing_changes(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    task = await _started_saw_task(ops)

    read = await ops.get("/api/v1/loss-reasons/break")
    assert (
        await ops.patch("/api/v1/loss-reasons/break", json={"active": False})
    ).status_code == 428
    stale = await ops.patch(
        "/api/v1/loss-reasons/break", json={"active": False}, headers={"If-Match": '"7"'}
    )
    assert stale.status_code == 412
    retired = await ops.patch(
        "/api/v1/loss-reasons/break",
        json={"active": False},
        headers={"If-Match": read.headers["etag"]},
    )
    assert retired.status_code == 200, retired.text
    assert (retired.json()["active"], retired.json()["version"]) == (False, 2)
    assert "break" not in await _codes(ops)
    assert "break" in await _codes(ops, retired="true")
    fragment = await ops.get("/stations/SAW/dispatch")
    assert 'value="break"' not in fragment.text and 'value="breakdown"' in fragment.text

    refused = await ops.post(f"/api/v1/tasks/{task}/pause", json={"reason": "break"})
    assert refused.status_code == 422
    assert "retired" in refused.json()["detail"]
    unknown = await ops.post(f"/api/v1/tasks/{task}/pause", json={"reason": "coffee"})
    assert unknown.status_code == 422
    assert "coffee" in unknown.json()["detail"]
    assert (await ops.get(f"/api/v1/tasks/{task}")).json()["status"] == "started"

    wrong_case = await ops.get("/api/v1/loss-reasons/Material")
    assert wrong_case.status_code == 404
    assert "did you mean 'material'" in wrong_case.json()["detail"]


async def test_a_stop_counts_in_oee_under_the_loss_reason_it_was_given(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "SAW", calendar=ALWAYS)
    window = {
        "work_center": "SAW",
        "start": "2026-11-02T00:00:00+00:00",
        "end": "2026-11-03T00:00:00+00:00",
    }
    stops = [
        ({"kind": "breakdown", "reason": "blade changed", "loss_reason": "setup"}, 8, 9),
        ({"kind": "breakdown", "reason": "motor"}, 10, 12),
    ]
    for fields, start, end in stops:
        recorded = await ops.post(
            "/api/v1/work-centers/SAW/downtimes",
            json={
                "start": f"2026-11-02T{start:02d}:00:00+00:00",
                "end": f"2026-11-02T{end:02d}:00:00+00:00",
                **fields,
            },
        )
        assert recorded.status_code == 201, recorded.text
        assert recorded.json()["loss_reason"] == fields.get("loss_reason")
    for wrong in ("coffee", "break-time"):
        refused = await ops.post(
            "/api/v1/work-centers/SAW/downtimes",
            json={
                "start": "2026-11-02T14:00:00+00:00",
                "end": "2026-11-02T15:00:00+00:00",
                "kind": "breakdown",
                "loss_reason": wrong,
            },
        )
        assert refused.status_code == 422, refused.text
    listed = (await ops.get("/api/v1/work-centers/SAW/downtimes")).json()
    assert listed["total"] == 2

    oee = (await ops.get("/api/v1/kpis/oee", params=window)).json()
    losses = {loss["reason"]: Decimal(loss["minutes"]) for loss in oee["availability_losses"]}
    assert losses == {"setup": Decimal(60), "breakdown": Decimal(120)}
