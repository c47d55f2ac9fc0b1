"""Gathering the facts of the KPIs from work centers, calendars, downtime and tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.domain.kpis import CompletedTask, Flow, Oee, flow, oee
from services.operations.domain.loss_reasons import DOWNTIME_REASONS
from services.operations.downtime.service import downtime_between
from services.operations.kpis.schemas import (
    AvailabilityLoss,
    DepartmentKpis,
    FlowKpis,
    OeeRead,
    Throughput,
    WorkCenterKpis,
    WorkInProgress,
)
from services.operations.organization.service import get_department
from services.operations.tasks.models import Task, TaskPause
from services.operations.work_centers.models import WorkCenter
from services.operations.work_centers.service import get_work_center, work_calendar
from shared.calendars import intersect, minutes_in, working_intervals
from shared.db import utcnow
from shared.errors import InvalidInput
from shared.numbers import quantize

MAX_WINDOW = timedelta(days=366)


def check_window(start: datetime, end: datetime) -> None:
    """Refuse a window that is empty, reversed or longer than a year."""
    if end <= start:
        raise InvalidInput("end must be after start.", start=start.isoformat(), end=end.isoformat())
    if end - start > MAX_WINDOW:
        raise InvalidInput("The window may be a year at most.", start=start.isoformat())


@dataclass(frozen=True)
class CenterFacts:
    """A work center's OEE and flow figures over a window, and its work in progress."""

    oee: Oee
    flow: Flow
    wip_tasks: int
    wip_quantity: Decimal


async def _completed(
    session: AsyncSession, code: str, start: datetime, end: datetime
) -> list[CompletedTask]:
    rows = await session.execute(
        select(Task).where(
            Task.work_center == code,
            Task.status == "completed",
            Task.completed_at >= start,
            Task.completed_at < end,
        )
    )
    return [
        CompletedTask(
            quantity=t.quantity,
            run_minutes=t.run_minutes,
            good=t.good_quantity or Decimal(0),
            scrap=t.scrap_quantity or Decimal(0),
            worked_minutes=t.worked_minutes or Decimal(0),
            planned_start=t.planned_start,
            planned_end=t.planned_end,
            started_at=t.started_at or t.planned_start,
            completed_at=t.completed_at or end,
        )
        for t in rows.scalars()
    ]


async def center_facts(
    session: AsyncSession, center: WorkCenter, start: datetime, end: datetime, tolerance: timedelta
) -> CenterFacts:
    """Planned time from the calendar, downtime inside it, and the tasks done, of one center."""
    working = working_intervals(work_calendar(center), start, end)
    downtimes = await downtime_between(session, center.code, start, end)
    capacity = Decimal(center.capacity)
    planned = minutes_in(working) * capacity
    down = minutes_in(intersect(working, [(d.start, d.end) for d in downtimes])) * capacity
    down_by_reason: dict[str, Decimal] = {}
    for d in downtimes:
        reason = d.loss_reason or DOWNTIME_REASONS.get(d.kind, "other")
        minutes = minutes_in(intersect(working, [(d.start, d.end)])) * capacity
        down_by_reason[reason] = down_by_reason.get(reason, Decimal(0)) + minutes
    paused = await paused_by_reason(session, center.code, working, start, end)
    completed = await _completed(session, center.code, start, end)
    center_oee = oee(planned, down, completed, paused, down_by_reason)
    window_hours = minutes_in([(start, end)]) / 60
    center_flow = flow(center_oee.run_minutes, window_hours, completed, tolerance)
    wip = (
        await session.execute(
            select(Task).where(
                Task.work_center == center.code, Task.status.in_(("started", "paused"))
            )
        )
    ).scalars()
    wip_tasks = list(wip)
    return CenterFacts(
        center_oee, center_flow, len(wip_tasks), sum((t.quantity for t in wip_tasks), Decimal(0))
    )


async def paused_by_reason(
    session: AsyncSession,
    code: str,
    working: list[tuple[datetime, datetime]],
    start: datetime,
    end: datetime,
) -> dict[str, Decimal]:
    """Working minutes the center's tasks were paused in the window, by loss reason."""
    rows = await session.execute(
        select(TaskPause).where(
            TaskPause.work_center == code,
            TaskPause.started_at < end,
            (TaskPause.ended_at.is_(None)) | (TaskPause.ended_at > start),
        )
    )
    now = utcnow()
    found: dict[str, Decimal] = {}
    for pause in rows.scalars():
        span = [(pause.started_at, min(pause.ended_at or now, end))]
        found[pause.reason] = found.get(pause.reason, Decimal(0)) + minutes_in(
            intersect(working, span)
        )
    return found


def _oee_read(figures: Oee, start: datetime, end: datetime, code: str | None) -> OeeRead:
    return OeeRead(
        work_center=code,
        start=start,
        end=end,
        availability=figures.availability,
        performance=figures.performance,
        quality=figures.quality,
        oee=figures.oee,
        planned_minutes=figures.planned_minutes,
        downtime_minutes=figures.downtime_minutes,
        run_minutes=figures.run_minutes,
        ideal_minutes=figures.ideal_minutes,
        good=figures.good,
        total=figures.total,
        paused_minutes=figures.paused_minutes,
        availability_losses=[
            AvailabilityLoss(reason=reason, minutes=minutes) for reason, minutes in figures.losses
        ],
    )


def _flow_fields(
    facts: CenterFacts, start: datetime, end: datetime, tolerance: timedelta, code: str | None
) -> dict[str, object]:
    figures = facts.flow
    return FlowKpis(
        start=start,
        end=end,
        available_minutes=figures.available_minutes,
        worked_minutes=figures.worked_minutes,
        utilisation=figures.utilisation,
        throughput=Throughput(
            completed_tasks=figures.completed_tasks,
            good_quantity=figures.good_quantity,
            per_hour=figures.throughput_per_hour,
        ),
        wip=WorkInProgress(tasks=facts.wip_tasks, quantity=quantize(facts.wip_quantity)),
        schedule_adherence=figures.schedule_adherence,
        on_time_completion=figures.on_time_completion,
        tolerance_minutes=int(tolerance.total_seconds() // 60),
        oee=_oee_read(facts.oee, start, end, code),
    ).model_dump()


async def work_center_oee(
    session: AsyncSession, code: str, start: datetime, end: datetime
) -> OeeRead:
    """OEE of a work center over a window."""
    check_window(start, end)
    center = await get_work_center(session, code)
    facts = await center_facts(session, center, start, end, timedelta(0))
    return _oee_read(facts.oee, start, end, code)


async def work_center_kpis(
    session: AsyncSession, code: str, start: datetime, end: datetime, tolerance: timedelta
) -> WorkCenterKpis:
    """All KPIs of a work center over a window."""
    check_window(start, end)
    center = await get_work_center(session, code)
    facts = await center_facts(session, center, start, end, tolerance)
    return WorkCenterKpis(work_center=code, **_flow_fields(facts, start, end, tolerance, code))


async def department_kpis(
    session: AsyncSession, code: str, start: datetime, end: datetime, tolerance: timedelta
) -> DepartmentKpis:
    """The KPIs of a department's work centers added up, ratios recomputed from the sums."""
    check_window(start, end)
    await get_department(session, code)
    centers = list(
        (
            await session.execute(
                select(WorkCenter).where(WorkCenter.department == code).order_by(WorkCenter.code)
            )
        ).scalars()
    )
    total: CenterFacts | None = None
    for center in centers:
        facts = await center_facts(session, center, start, end, tolerance)
        total = (
            facts
            if total is None
            else CenterFacts(
                total.oee + facts.oee,
                total.flow + facts.flow,
                total.wip_tasks + facts.wip_tasks,
                total.wip_quantity + facts.wip_quantity,
            )
        )
    if total is None:
        total = CenterFacts(
            oee(Decimal(0), Decimal(0), []),
            flow(Decimal(0), minutes_in([(start, end)]) / 60, [], tolerance),
            0,
            Decimal(0),
        )
    return DepartmentKpis(
        department=code,
        work_centers=[c.code for c in centers],
        **_flow_fields(total, start, end, tolerance, None),
    )
