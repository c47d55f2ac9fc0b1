"""Downtime records and maintenance plans that book planned downtime over a horizon."""

from __future__ import annotations

from services.operations.tests.support import add_work_center, published
from shared.testing.stack import Stack


async def test_downtime_is_recorded_listed_and_announced(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "MILL")
    path = "/api/v1/work-centers/MILL/downtimes"
    body = {
        "start": "2026-12-01T08:00:00Z",
        "end": "2026-12-01T09:30:00Z",
        "kind": "breakdown",
        "reason": "Spindle",
    }
    created = await ops.post(path, json=body)
    assert created.status_code == 201, created.text
    downtime = created.json()
    assert downtime["kind"] == "breakdown"
    for bad in (
        {**body, "end": body["start"]},
        {**body, "end": "2026-12-01T07:00:00Z"},
        {**body, "kind": "coffee"},
        {**body, "start": 0},
    ):
        assert (await ops.post(path, json=bad)).status_code == 422, bad
    assert (await ops.post("/api/v1/work-centers/NOPE/downtimes", json=body)).status_code == 404
    listed = (await ops.get(path)).json()
    assert listed["total"] == 1
    assert (await ops.get(path, params={"start": "2026-12-01T10:00:00Z"})).json()["total"] == 0
    assert await published(ops, "operations.downtime.recorded") == [
        {
            "downtime_id": downtime["id"],
            "work_center": "MILL",
            "start": "2026-12-01T08:00:00Z",
            "end": "2026-12-01T09:30:00Z",
            "kind": "breakdown",
            "reason": "Spindle",
        }
    ]


async def test_maintenance_plan_books_each_occurrence_once_up_to_the_horizon(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "MILL")
    plan = {
        "work_center": "MILL",
        "every_days": 7,
        "duration_minutes": 90,
        "start": "2026-12-07T06:00:00Z",
        "reason": "Weekly lubrication",
    }
    unknown = await ops.post("/api/v1/maintenance-plans", json={**plan, "work_center": "NOPE"})
    assert unknown.status_code == 422
    created = await ops.post("/api/v1/maintenance-plans", json=plan)
    assert created.status_code == 201, created.text
    plan_id = created.json()["id"]
    generate = f"/api/v1/maintenance-plans/{plan_id}/generate"
    first = await ops.post(generate, params={"until": "2026-12-28T00:00:00Z"})
    assert first.status_code == 200, first.text
    assert [(d["start"], d["end"]) for d in first.json()] == [
        ("2026-12-07T06:00:00Z", "2026-12-07T07:30:00Z"),
        ("2026-12-14T06:00:00Z", "2026-12-14T07:30:00Z"),
        ("2026-12-21T06:00:00Z", "2026-12-21T07:30:00Z"),
    ]
    assert all(d["kind"] == "planned" and d["maintenance_plan_id"] == plan_id for d in first.json())
    again = await ops.post(generate, params={"until": "2026-12-28T00:00:00Z"})
    assert again.json() == []
    later = await ops.post(generate, params={"until": "2026-12-28T06:00:01Z"})
    assert [d["start"] for d in later.json()] == ["2026-12-28T06:00:00Z"]
    assert (await ops.get(f"/api/v1/maintenance-plans/{plan_id}")).json()["generated"] == 4
    assert (await ops.get("/api/v1/work-centers/MILL/downtimes")).json()["total"] == 4
    assert len(await published(ops, "operations.downtime.recorded")) == 4
    assert (
        await ops.post(
            "/api/v1/maintenance-plans/nope/generate", params={"until": "2026-12-28T00:00:00Z"}
        )
    ).status_code == 404
