"""Departments, teams and work centers with calendars, versions and their events."""

from __future__ import annotations

from services.operations.tests.support import add_work_center, published
from shared.testing.stack import Stack

BERLIN = {
    "timezone": "Europe/Berlin",
    "shifts": [{"weekday": 0, "start": "22:00", "end": "06:00"}],
    "holidays": ["2026-12-25"],
    "exceptions": [{"date": "2026-12-24", "shifts": [{"start": "06:00", "end": "10:00"}]}],
}


async def test_departments_and_teams_with_members_and_skills(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    created = await ops.post("/api/v1/departments", json={"code": "ASSY", "name": "Assembly"})
    assert created.status_code == 201, created.text
    assert (
        await ops.post("/api/v1/departments", json={"code": "ASSY", "name": "x"})
    ).status_code == 409
    team = {
        "code": "MAINT-A",
        "name": "Maintenance A",
        "department": "ASSY",
        "members": [
            {"name": "Ana", "skills": ["welding", "electrics"]},
            {"name": "Ben", "skills": ["forklift"]},
        ],
    }
    response = await ops.post("/api/v1/teams", json=team)
    assert response.status_code == 201, response.text
    assert response.json()["members"] == [
        {"name": "Ana", "skills": ["electrics", "welding"]},
        {"name": "Ben", "skills": ["forklift"]},
    ]
    unknown = await ops.post("/api/v1/teams", json={**team, "code": "X", "department": "NOPE"})
    assert unknown.status_code == 422
    assert (await ops.get("/api/v1/teams?skill=forklift")).json()["total"] == 1
    assert (await ops.get("/api/v1/teams?skill=painting")).json()["total"] == 0
    assert (await ops.get("/api/v1/teams/MAINT-A")).json()["department"] == "ASSY"
    assert (await ops.get("/api/v1/departments")).json()["items"][0]["code"] == "ASSY"
    assert (await ops.get("/api/v1/teams/NOPE")).status_code == 404


async def test_work_center_without_calendar_gets_the_default_and_is_announced(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    center = await add_work_center(ops, "WELD-1", capacity=2, cost_per_hour="45.5")
    assert center["calendar"]["timezone"] == "UTC"
    assert center["calendar"]["shifts"] == [
        {"weekday": d, "start": "08:00", "end": "16:00"} for d in range(5)
    ]
    assert center["version"] == 1
    fetched = await ops.get("/api/v1/work-centers/WELD-1")
    assert fetched.headers["etag"] == '"1"'
    assert fetched.json()["cost_per_hour"] == "45.5"
    events = await published(ops, "operations.work_center.created")
    assert events == [
        {
            "code": "WELD-1",
            "name": "Center WELD-1",
            "department": None,
            "capacity": 2,
            "cost_per_hour": "45.5",
            "calendar": center["calendar"],
            "version": 1,
        }
    ]


async def test_work_center_update_needs_the_current_version_and_publishes_the_new_state(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    await ops.post("/api/v1/departments", json={"code": "ASSY", "name": "Assembly"})
    await add_work_center(ops, "WELD-1")
    path = "/api/v1/work-centers/WELD-1"
    change = {"calendar": BERLIN, "department": "ASSY", "capacity": 3}
    assert (await ops.patch(path, json=change)).status_code == 428
    assert (await ops.patch(path, json=change, headers={"If-Match": '"7"'})).status_code == 412
    updated = await ops.patch(path, json=change, headers={"If-Match": '"1"'})
    assert updated.status_code == 200, updated.text
    assert updated.headers["etag"] == '"2"'
    assert updated.json()["calendar"] == BERLIN
    assert updated.json()["capacity"] == 3
    assert (
        await ops.patch(path, json={"name": "x"}, headers={"If-Match": '"1"'})
    ).status_code == 412
    events = await published(ops, "operations.work_center.updated")
    assert len(events) == 1
    assert events[0]["calendar"] == BERLIN
    assert events[0]["version"] == 2
    assert events[0]["department"] == "ASSY"
    assert (await ops.get("/api/v1/work-centers?department=ASSY")).json()["total"] == 1


async def test_invalid_work_centers_are_refused_and_nothing_is_stored(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    bad = [
        {"code": "A", "name": "a", "capacity": 0},
        {"code": "A", "name": "a", "calendar": {"timezone": "Mars/Olympus"}},
        {
            "code": "A",
            "name": "a",
            "calendar": {"shifts": [{"weekday": 7, "start": "08:00", "end": "16:00"}]},
        },
        {
            "code": "A",
            "name": "a",
            "calendar": {"shifts": [{"weekday": 1, "start": "25:00", "end": "16:00"}]},
        },
        {"code": "A", "name": "a", "department": "NOPE"},
        {"code": "A", "name": "a", "cost_per_hour": "-1"},
    ]
    for body in bad:
        response = await ops.post("/api/v1/work-centers", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert (await ops.get("/api/v1/work-centers")).json()["total"] == 0
    assert await published(ops, "operations.work_center.created") == []
    await add_work_center(ops, "A")
    again = await ops.post("/api/v1/work-centers", json={"code": "A", "name": "again"})
    assert again.status_code == 409
    assert (await ops.get("/api/v1/work-centers/NOPE")).status_code == 404
