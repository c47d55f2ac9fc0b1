"""Production keeps a view of operations' work centers (with calendars) and downtime."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

from services.production.catalog.models import KnownDowntime, KnownWorkCenter
from shared.db import new_id
from shared.events import DomainEvent
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually


class WorkCenterCreated(DomainEvent):
    event_type: ClassVar[str] = "operations.work_center.created"
    code: str
    name: str
    department: str | None = None
    capacity: int
    cost_per_hour: str
    calendar: dict[str, Any] | None = None
    version: int


class WorkCenterUpdated(WorkCenterCreated):
    event_type: ClassVar[str] = "operations.work_center.updated"


class DowntimeRecorded(DomainEvent):
    event_type: ClassVar[str] = "operations.downtime.recorded"
    downtime_id: str
    work_center: str
    start: str
    end: str
    kind: str
    reason: str


CALENDAR = {
    "timezone": "Europe/Paris",
    "shifts": [{"weekday": d, "start": "06:00", "end": "14:00"} for d in range(5)],
    "holidays": ["2026-12-25"],
    "exceptions": [{"date": "2026-12-24", "shifts": [{"start": "06:00", "end": "10:00"}]}],
}


async def work_center(production: ServiceClient, code: str) -> KnownWorkCenter | None:
    async with production.app.state.database.transaction() as session:
        return await session.get(KnownWorkCenter, code)


async def test_work_center_view_keeps_the_latest_calendar_and_ignores_a_stale_update(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    created = WorkCenterCreated(
        code="MILL",
        name="Mill",
        department="MACH",
        capacity=2,
        cost_per_hour="55.5",
        calendar=CALENDAR,
        version=1,
    )
    updated = WorkCenterUpdated(
        code="MILL", name="Mill 2", capacity=3, cost_per_hour="60", calendar=None, version=3
    )
    stale = WorkCenterUpdated(code="MILL", name="Old", capacity=1, cost_per_hour="1", version=2)
    await produce(production, "operations", [(created, "MILL", new_id(), 1)])

    seen = await eventually(lambda: work_center(production, "MILL"))
    assert (seen.name, seen.department, seen.capacity) == ("Mill", "MACH", 2)
    assert seen.cost_per_hour == Decimal("55.5")
    assert seen.calendar["timezone"] == "Europe/Paris"
    assert seen.calendar["shifts"][0] == {"weekday": 0, "start": "06:00", "end": "14:00"}
    assert seen.calendar["exceptions"][0]["date"] == "2026-12-24"

    await produce(
        production, "operations", [(updated, "MILL", new_id(), 3), (stale, "MILL", new_id(), 2)]
    )

    async def updated_to_version_3() -> bool:
        row = await work_center(production, "MILL")
        return row is not None and row.version == 3

    await eventually(updated_to_version_3)
    row = await work_center(production, "MILL")
    assert row is not None
    assert (row.name, row.capacity, row.calendar) == ("Mill 2", 3, None)


async def test_downtime_is_remembered_once_in_utc(stack: Stack) -> None:
    (production,) = await stack.start("production")
    event = DowntimeRecorded(
        downtime_id="d-1",
        work_center="MILL",
        start="2026-12-01T10:00:00+01:00",
        end="2026-12-01T12:30:00Z",
        kind="breakdown",
        reason="spindle",
    )
    event_id = new_id()
    await produce(
        production, "operations", [(event, "MILL", event_id, 1), (event, "MILL", event_id, 1)]
    )

    async def downtime() -> KnownDowntime | None:
        async with production.app.state.database.transaction() as session:
            return await session.get(KnownDowntime, "d-1")

    seen = await eventually(downtime)
    assert seen.start == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert seen.end == datetime(2026, 12, 1, 12, 30, tzinfo=UTC)
    assert (seen.work_center, seen.kind, seen.reason) == ("MILL", "breakdown", "spindle")
