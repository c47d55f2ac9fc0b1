"""Stored schedules over HTTP: planned in shifts, versioned, published, re-planned on downtime."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.catalog.models import KnownDowntime
from services.production.domain.scheduling.plan import (
    OrderToPlan,
    Plan,
    PlannedOperation,
    RoutingStep,
    WorkCenterToPlan,
)
from services.production.schedules.sources import order_source
from services.production.tests.test_orders import new_order, with_bike
from services.production.tests.test_scheduling_working_time import check_plan
from services.production.tests.test_work_center_view import (
    DowntimeRecorded,
    WorkCenterCreated,
    WorkCenterUpdated,
    work_center,
)
from shared.calendars import WorkCalendar
from shared.db import new_id
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually


def next_monday() -> datetime:
    """06:00 UTC on the first Monday after today: schedules never plan into the past."""
    today = datetime.now(UTC).replace(hour=6, minute=0, second=0, microsecond=0)
    return today + timedelta(days=7 - today.weekday())


START = next_monday()
TWO_SHIFTS = {
    "timezone": "UTC",
    "shifts": [{"weekday": d, "start": "06:00", "end": "14:00"} for d in range(5)]
    + [{"weekday": d, "start": "14:00", "end": "22:00"} for d in range(5)],
    "holidays": [],
    "exceptions": [],
}
CENTERS = {"SAW": (1, TWO_SHIFTS), "LATHE": (2, TWO_SHIFTS), "PAINT": (1, None)}


def orders() -> list[OrderToPlan]:
    routes = [("SAW", "LATHE", "PAINT"), ("LATHE", "SAW"), ("SAW", "PAINT"), ("LATHE", "PAINT")]
    return [
        OrderToPlan(
            f"order-{n}",
            "SHAFT",
            Decimal(10 + n),
            tuple(
                RoutingStep(10 * (i + 1), wc, 15, 60 + 20 * ((n + i) % 4))
                for i, wc in enumerate(routes[n % len(routes)])
            ),
            due=START + timedelta(hours=6 + 2 * n),
            weight=1 + n % 3,
        )
        for n in range(8)
    ]


async def with_work_centers(production: ServiceClient) -> None:
    await produce(
        production,
        "operations",
        [
            (
                WorkCenterCreated(
                    code=code,
                    name=code,
                    capacity=units,
                    cost_per_hour="40",
                    calendar=calendar,
                    version=1,
                ),
                code,
                new_id(),
                1,
            )
            for code, (units, calendar) in CENTERS.items()
        ],
    )
    for code in CENTERS:
        await eventually(partial(work_center, production, code))


def fixed_orders(production: ServiceClient) -> None:
    async def source(session: AsyncSession, ids: list[str] | None) -> list[OrderToPlan]:
        return [o for o in orders() if ids is None or o.order_id in ids]

    production.app.dependency_overrides[order_source] = lambda: source


def as_plan(body: dict[str, Any]) -> Plan:
    return Plan(
        origin=datetime.fromisoformat(body["origin"]),
        objective=body["objective"],
        status=body["status"],
        lower_bound=body["lower_bound"],
        makespan_minutes=body["makespan_minutes"],
        tardiness=body["tardiness"],
        operations=[
            PlannedOperation(
                o["order_id"],
                o["product_sku"],
                Decimal(o["quantity"]),
                o["sequence"],
                o["work_center"],
                datetime.fromisoformat(o["start"]),
                datetime.fromisoformat(o["end"]),
                o["setup_minutes"],
                o["run_minutes"],
            )
            for o in body["operations"]
        ],
    )


def centers(downtime: tuple[tuple[datetime, datetime], ...] = ()) -> list[WorkCenterToPlan]:
    return [
        WorkCenterToPlan(
            code, units, WorkCalendar.from_spec(calendar), downtime if code == "SAW" else ()
        )
        for code, (units, calendar) in CENTERS.items()
    ]


async def published(production: ServiceClient) -> list[dict[str, Any]]:
    async with production.app.state.database.transaction() as session:
        rows = await session.execute(
            text("SELECT envelope FROM outbox WHERE event_type = :t ORDER BY id"),
            {"t": "production.schedule.published"},
        )
        return [json.loads(r[0])["data"] for r in rows]


async def test_a_schedule_is_planned_in_shifts_stored_published_and_drawn(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await with_work_centers(production)
    fixed_orders(production)

    created = await production.post(
        "/api/v1/schedules",
        json={"objective": "tardiness", "time_limit_seconds": 2, "start": START.isoformat()},
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["version"] == 1 and body["replaces"] is None
    assert body["status"] in ("optimal", "feasible")
    assert len(body["operations"]) == sum(len(o.steps) for o in orders())
    assert check_plan(as_plan(body), orders(), centers()) == []
    assert body["makespan_minutes"] == max(
        (datetime.fromisoformat(o["end"]) - START) // timedelta(minutes=1)
        for o in body["operations"]
    )
    fetched = (await production.get(f"/api/v1/schedules/{body['id']}")).json()
    # The Gantt link is signed afresh for each answer; all else is the stored schedule.
    assert {**fetched, "gantt_url": None} == {**body, "gantt_url": None}
    listed = (await production.get("/api/v1/schedules")).json()
    assert [s["id"] for s in listed["items"]] == [body["id"]]

    (event,) = await published(production)
    assert event["schedule_id"] == body["id"] and event["objective"] == "tardiness"
    assert len(event["operations"]) == len(body["operations"])

    svg = await production.get(f"/api/v1/schedules/{body['id']}/gantt.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    drawn = ET.fromstring(svg.text)
    bars = [
        r for r in drawn.iter("{http://www.w3.org/2000/svg}rect") if "bar" in r.get("class", "")
    ]
    assert len(bars) == len(body["operations"])
    page = await production.get(f"/api/v1/schedules/{body['id']}/gantt")
    assert page.headers["content-type"].startswith("text/html") and "<svg" in page.text

    kpis = (await production.get(f"/api/v1/schedules/{body['id']}/kpis")).json()
    assert kpis["makespan_minutes"] == body["makespan_minutes"]
    assert kpis["weighted_tardiness"] == body["tardiness"]
    assert {u["work_center"] for u in kpis["work_centers"]} == set(CENTERS)
    assert all(0 < u["utilisation"] <= 1 for u in kpis["work_centers"])


async def first_schedule(production: ServiceClient) -> dict[str, Any]:
    """The shop's work centers and fixed orders, and their first stored schedule."""
    await with_work_centers(production)
    fixed_orders(production)
    created = await production.post(
        "/api/v1/schedules", json={"time_limit_seconds": 1, "start": START.isoformat()}
    )
    return created.json()  # type: ignore[no-any-return]


async def test_downtime_on_a_scheduled_work_center_publishes_a_valid_replacement(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    first = await first_schedule(production)
    on_saw = [o for o in first["operations"] if o["work_center"] == "SAW"]
    hit = min(on_saw, key=lambda o: o["start"])
    down = (
        datetime.fromisoformat(hit["start"]) + timedelta(minutes=5),
        datetime.fromisoformat(hit["end"]) + timedelta(hours=3),
    )

    await produce(
        production,
        "operations",
        [
            (
                DowntimeRecorded(
                    downtime_id="d-7",
                    work_center="SAW",
                    start=down[0].isoformat(),
                    end=down[1].isoformat(),
                    kind="breakdown",
                    reason="blade",
                ),
                "SAW",
                new_id(),
                1,
            )
        ],
    )

    async def replaced() -> list[dict[str, Any]]:
        items = (await production.get("/api/v1/schedules")).json()["items"]
        return items if len(items) == 2 else []

    newest, old = await eventually(replaced, timeout=30)
    assert (newest["version"], newest["replaces"], old["id"]) == (2, first["id"], first["id"])
    assert "d-7" in newest["reason"]
    again = (await production.get(f"/api/v1/schedules/{newest['id']}")).json()
    assert check_plan(as_plan(again), orders(), centers((down,))) == []
    assert (await production.get(f"/api/v1/schedules/{first['id']}")).json() == first
    events = await published(production)
    assert [e["replaces"] for e in events] == [None, first["id"]]


async def test_downtime_away_from_the_schedule_changes_nothing_and_bad_input_is_refused(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    first = await first_schedule(production)
    far = START + timedelta(days=300)
    await produce(
        production,
        "operations",
        [
            (
                DowntimeRecorded(
                    downtime_id="d-far",
                    work_center="SAW",
                    start=far.isoformat(),
                    end=(far + timedelta(hours=1)).isoformat(),
                    kind="planned",
                    reason="audit",
                ),
                "SAW",
                new_id(),
                1,
            )
        ],
    )

    async def remembered() -> KnownDowntime | None:
        async with production.app.state.database.transaction() as session:
            return await session.get(KnownDowntime, "d-far")

    await eventually(remembered)
    unknown = await production.post("/api/v1/schedules", json={"order_ids": ["nope"]})
    assert unknown.status_code == 422
    assert unknown.json()["order_ids"] == ["nope"]
    assert (await production.get("/api/v1/schedules/none")).status_code == 404
    listed = (await production.get("/api/v1/schedules")).json()
    assert [s["id"] for s in listed["items"]] == [first["id"]]


async def test_released_orders_are_scheduled_with_their_routing_priority_and_due_date(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    await with_work_centers(production)
    await with_bike(production)
    routing = await production.post(
        "/api/v1/routings",
        json={
            "product_sku": "BIKE",
            "effective_from": "2020-01-01",
            "operations": [
                {
                    "sequence": 10,
                    "work_center": "SAW",
                    "setup_minutes": "20",
                    "run_minutes_per_unit": "2.5",
                },
                {
                    "sequence": 20,
                    "work_center": "PAINT",
                    "setup_minutes": "5",
                    "run_minutes_per_unit": "1",
                },
            ],
        },
    )
    assert routing.status_code == 201, routing.text
    due = START.date().isoformat()
    urgent = await new_order(production, quantity="7", priority=9, due_date=due)
    normal = await new_order(production, quantity="40", priority=2)
    planned_only = await new_order(production)
    for order in (urgent, normal):
        released = await production.post(f"/api/v1/orders/{order['id']}/release")
        assert released.status_code == 200, released.text

    # Two hours before the saw stops on the urgent order's due date: it can only be late less.
    late_evening = START + timedelta(hours=14)
    created = await production.post(
        "/api/v1/schedules",
        json={"objective": "tardiness", "time_limit_seconds": 2, "start": late_evening.isoformat()},
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert {o["order_id"] for o in body["operations"]} == {urgent["id"], normal["id"]}
    minutes = {
        (o["order_id"], o["sequence"]): (o["setup_minutes"], o["run_minutes"])
        for o in body["operations"]
    }
    assert minutes[(urgent["id"], 10)] == (20, 18)  # 7 x 2.5 = 17.5, rounded up
    assert minutes[(normal["id"], 20)] == (5, 40)
    first_on_saw = min(
        (o for o in body["operations"] if o["work_center"] == "SAW"), key=lambda o: o["start"]
    )
    assert first_on_saw["order_id"] == urgent["id"]
    expected = [
        OrderToPlan(
            order["id"],
            "BIKE",
            Decimal(order["quantity"]),
            tuple(
                RoutingStep(seq, wc, *minutes[(order["id"], seq)])
                for seq, wc in ((10, "SAW"), (20, "PAINT"))
            ),
        )
        for order in (urgent, normal)
    ]
    assert check_plan(as_plan(body), expected, centers()) == []
    refused = await production.post(
        "/api/v1/schedules", json={"order_ids": [planned_only["id"]], "time_limit_seconds": 1}
    )
    assert refused.status_code == 422


async def test_a_start_far_outside_any_planning_horizon_is_refused(stack: Stack) -> None:
    (production,) = await stack.start("production")
    for start in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"):
        refused = await production.post("/api/v1/schedules", json={"start": start})
        assert refused.status_code == 422, refused.text


async def test_a_re_plan_that_cannot_be_done_keeps_the_schedule_and_the_downtime(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    first = await first_schedule(production)
    hit = min(
        (o for o in first["operations"] if o["work_center"] == "SAW"), key=lambda o: o["start"]
    )
    short_shifts = {
        "timezone": "UTC",
        "shifts": [{"weekday": d, "start": "06:00", "end": "06:30"} for d in range(7)],
    }
    shrunk = WorkCenterUpdated(
        code="SAW", name="SAW", capacity=1, cost_per_hour="40", calendar=short_shifts, version=2
    )
    breakdown = DowntimeRecorded(
        downtime_id="d-9",
        work_center="SAW",
        start=hit["start"],
        end=hit["end"],
        kind="breakdown",
        reason="motor",
    )
    await produce(
        production, "operations", [(shrunk, "SAW", new_id(), 2), (breakdown, "SAW", new_id(), 3)]
    )

    async def remembered() -> KnownDowntime | None:
        async with production.app.state.database.transaction() as session:
            return await session.get(KnownDowntime, "d-9")

    await eventually(remembered)
    listed = (await production.get("/api/v1/schedules")).json()
    assert [s["id"] for s in listed["items"]] == [first["id"]]
