"""OEE and flow KPIs against figures computed by hand, for a work center and a department."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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


def _iso(instant: datetime) -> str:
    return instant.isoformat()


async def _run(ops: ServiceClient, task_id: str, good: str, scrap: str) -> dict[str, str]:
    assert (await ops.post(f"/api/v1/tasks/{task_id}/start")).status_code == 200
    done = await ops.post(
        f"/api/v1/tasks/{task_id}/complete", json={"good_quantity": good, "scrap_quantity": scrap}
    )
    assert done.status_code == 200, done.text
    return done.json()  # type: ignore[no-any-return]


async def test_oee_and_flow_kpis_match_hand_computed_figures(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    now = datetime.now(UTC)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    yesterday = today - timedelta(days=1)
    # Yesterday 08:00-16:00 and today 08:00-12:00: 720 planned minutes, nothing else.
    calendar = {
        "timezone": "UTC",
        "shifts": [],
        "exceptions": [
            {"date": yesterday.date().isoformat(), "shifts": [{"start": "08:00", "end": "16:00"}]},
            {"date": today.date().isoformat(), "shifts": [{"start": "08:00", "end": "12:00"}]},
        ],
    }
    await ops.post("/api/v1/departments", json={"code": "MACH", "name": "Machining"})
    await add_work_center(ops, "MILL", department="MACH", calendar=calendar)
    await add_work_center(ops, "LATHE", department="MACH", capacity=2, calendar=calendar)
    await add_work_center(ops, "SAW", calendar=calendar)
    downtimes = [
        (yesterday + timedelta(hours=7), yesterday + timedelta(hours=9)),  # 60 min inside a shift
        (today + timedelta(hours=11, minutes=30), today + timedelta(hours=13)),  # 30 min inside
        (yesterday - timedelta(hours=10), yesterday - timedelta(hours=8)),  # before the window
    ]
    for start, end in downtimes:
        response = await ops.post(
            "/api/v1/work-centers/MILL/downtimes",
            json={"start": _iso(start), "end": _iso(end), "kind": "breakdown", "reason": "x"},
        )
        assert response.status_code == 201, response.text

    schedule = ScheduleForTest(
        schedule_id="S1",
        version=1,
        operations=[
            # On plan, due tomorrow: 10 units at an ideal 30 minutes each (300 run minutes).
            {
                **operation("O1", 10, "MILL", _iso(now), _iso(now + timedelta(days=1)), "10"),
                "run_minutes": "300",
            },
            # Planned for yesterday morning: started late and finished late; 25 minutes a unit.
            {
                **operation(
                    "O2",
                    10,
                    "MILL",
                    _iso(yesterday + timedelta(hours=8)),
                    _iso(yesterday + timedelta(hours=9)),
                    "4",
                ),
                "run_minutes": "100",
            },
            {**operation("O3", 10, "MILL", _iso(now), _iso(now + timedelta(hours=2)), "7")},
            {**operation("O4", 10, "SAW", _iso(now), _iso(now + timedelta(hours=2)), "5")},
        ],
    )
    await apply_directly(ops, schedule)
    await reserve_materials(ops, "O1", "O2", "O3", "O4")
    tasks = {t["order_id"]: t["id"] for t in await tasks_of(ops, "MILL")}
    saw = (await tasks_of(ops, "SAW"))[0]["id"]
    first = await _run(ops, tasks["O1"], "8", "2")
    second = await _run(ops, tasks["O2"], "4", "0")
    await _run(ops, saw, "5", "0")
    assert (await ops.post(f"/api/v1/tasks/{tasks['O3']}/start")).status_code == 200

    window = {"start": _iso(yesterday), "end": _iso(today + timedelta(days=1))}
    response = await ops.get("/api/v1/kpis/oee", params={"work_center": "MILL", **window})
    assert response.status_code == 200, response.text
    figures = response.json()
    # planned 720; downtime 60 + 30 = 90; run 630; ideal 30 x 10 + 25 x 4 = 400; good 12 of 14.
    assert {
        k: Decimal(figures[k])
        for k in (
            "planned_minutes",
            "downtime_minutes",
            "run_minutes",
            "ideal_minutes",
            "good",
            "total",
        )
    } == {
        "planned_minutes": 720,
        "downtime_minutes": 90,
        "run_minutes": 630,
        "ideal_minutes": 400,
        "good": 12,
        "total": 14,
    }
    assert Decimal(figures["availability"]) == Decimal("0.875")
    assert Decimal(figures["performance"]) == Decimal("0.634921")  # 400 / 630
    assert Decimal(figures["quality"]) == Decimal("0.857143")  # 12 / 14
    assert abs(Decimal(figures["oee"]) - Decimal(10) / 21) < Decimal("0.00001")

    kpis = (await ops.get("/api/v1/kpis/work-centers/MILL", params=window)).json()
    assert kpis["oee"]["oee"] == figures["oee"]
    assert Decimal(kpis["available_minutes"]) == 630
    worked = Decimal(first["worked_minutes"]) + Decimal(second["worked_minutes"])
    assert Decimal(kpis["worked_minutes"]) == worked
    assert Decimal(kpis["utilisation"]) == (worked / 630).quantize(Decimal("0.000001"))
    assert kpis["throughput"]["completed_tasks"] == 2
    assert Decimal(kpis["throughput"]["good_quantity"]) == 12
    assert Decimal(kpis["throughput"]["per_hour"]) == Decimal("0.25")  # 12 units in 48 hours
    assert kpis["wip"] == {"tasks": 1, "quantity": "7"}
    assert Decimal(kpis["schedule_adherence"]) == Decimal("0.5")  # O1 started on plan, O2 not
    assert Decimal(kpis["on_time_completion"]) == Decimal("0.5")  # O1 by its end, O2 late

    department = (await ops.get("/api/v1/kpis/departments/MACH", params=window)).json()
    assert department["work_centers"] == ["LATHE", "MILL"]
    oee = department["oee"]
    # LATHE adds 720 minutes x capacity 2 and no downtime or output; SAW is not in the department.
    assert Decimal(oee["planned_minutes"]) == 720 + 1440
    assert Decimal(oee["run_minutes"]) == 2070
    assert Decimal(oee["availability"]) == (Decimal(2070) / 2160).quantize(Decimal("0.000001"))
    assert Decimal(oee["performance"]) == (Decimal(400) / 2070).quantize(Decimal("0.000001"))
    assert Decimal(oee["good"]) == 12
    assert department["throughput"]["completed_tasks"] == 2
    assert department["wip"]["tasks"] == 1


async def test_kpi_windows_and_names_are_checked(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "MILL")
    window = {"start": "2026-12-02T00:00:00Z", "end": "2026-12-01T00:00:00Z"}
    assert (
        await ops.get("/api/v1/kpis/oee", params={"work_center": "MILL", **window})
    ).status_code == 422
    long = {"start": "2026-01-01T00:00:00Z", "end": "2028-01-01T00:00:00Z"}
    assert (await ops.get("/api/v1/kpis/work-centers/MILL", params=long)).status_code == 422
    ok = {"start": "2026-11-30T00:00:00Z", "end": "2026-12-01T00:00:00Z"}
    assert (
        await ops.get("/api/v1/kpis/oee", params={"work_center": "NOPE", **ok})
    ).status_code == 404
    assert (await ops.get("/api/v1/kpis/departments/NOPE", params=ok)).status_code == 404
    idle = (await ops.get("/api/v1/kpis/oee", params={"work_center": "MILL", **ok})).json()
    # Monday 2026-11-30, default calendar: 480 planned minutes, nothing made.
    assert (
        Decimal(idle["planned_minutes"]),
        Decimal(idle["availability"]),
        Decimal(idle["oee"]),
    ) == (480, 1, 0)
