"""Dates where instants are asked, numbers refused, and the KPI window's default week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.operations.tests.support import add_work_center
from shared.testing.stack import Stack


async def test_a_plain_date_in_a_downtime_is_the_start_of_that_day_at_the_plant(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations", plant_timezone="Europe/Paris")
    await add_work_center(ops, "MILL")
    response = await ops.post(
        "/api/v1/work-centers/MILL/downtimes",
        json={
            "start": "2026-12-03",
            "end": "2026-12-04",
            "kind": "planned",
            "reason": "stock take",
        },
    )
    assert response.status_code == 201, response.text
    recorded = response.json()
    assert datetime.fromisoformat(recorded["start"]) == datetime(2026, 12, 2, 23, tzinfo=UTC)
    assert datetime.fromisoformat(recorded["end"]) == datetime(2026, 12, 3, 23, tzinfo=UTC)
    listed = await ops.get(
        "/api/v1/work-centers/MILL/downtimes", params={"start": "2026-12-03", "end": "2026-12-04"}
    )
    assert listed.status_code == 200, listed.text
    assert [d["id"] for d in listed.json()["items"]] == [recorded["id"]]


async def test_numbers_given_as_instants_are_refused_and_change_nothing(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "MILL")
    response = await ops.post(
        "/api/v1/work-centers/MILL/downtimes",
        json={"start": 0, "end": 3600, "kind": "planned", "reason": "epoch"},
    )
    assert response.status_code == 422, response.text
    assert "not a date" in response.json()["detail"]
    assert (await ops.get("/api/v1/work-centers/MILL/downtimes")).json()["total"] == 0
    for params in ({"start": "0.5"}, {"end": "1764547200"}):
        kpis = await ops.get("/api/v1/kpis/oee", params={"work_center": "MILL", **params})
        assert kpis.status_code == 422, kpis.text
        assert kpis.headers["content-type"].startswith("application/problem+json")


async def test_kpis_without_a_window_cover_the_last_seven_days(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "MILL")
    before = datetime.now(UTC)
    oee = await ops.get("/api/v1/kpis/oee", params={"work_center": "MILL"})
    assert oee.status_code == 200, oee.text
    start, end = (datetime.fromisoformat(oee.json()[k]) for k in ("start", "end"))
    assert end - start == timedelta(days=7)
    assert before <= end <= datetime.now(UTC)
    only_end = await ops.get("/api/v1/kpis/work-centers/MILL", params={"end": "2026-12-08"})
    assert only_end.status_code == 200, only_end.text
    assert datetime.fromisoformat(only_end.json()["start"]) == datetime(2026, 12, 1, tzinfo=UTC)
    reversed_window = await ops.get(
        "/api/v1/kpis/oee",
        params={"work_center": "MILL", "start": "2026-12-08", "end": "2026-12-01"},
    )
    assert reversed_window.status_code == 422
