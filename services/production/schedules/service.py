"""Use cases of schedules: plan released orders, store versions, re-plan around downtime."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import anyio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.catalog.models import KnownDowntime, KnownWorkCenter
from services.production.database import outbox
from services.production.domain.scheduling.lateness import LateOrder, late_orders
from services.production.domain.scheduling.model import Objective
from services.production.domain.scheduling.multilevel import plan_with_sub_assemblies
from services.production.domain.scheduling.plan import (
    OrderToPlan,
    Plan,
    PlanningError,
    RoutingStep,
    WorkCenterToPlan,
)
from services.production.domain.scheduling.progress import StartedStep
from services.production.events import ScheduledOperationData, SchedulePublished
from services.production.orders.lateness import announce_late_in_schedule
from services.production.orders.models import ProductionOrder
from services.production.orders.service import tasks_of
from services.production.schedules.models import StoredOperation, StoredSchedule
from services.production.schedules.schemas import ScheduleCreate, ScheduleKpis, WorkCenterUse
from services.production.schedules.sources import OrderSource, released_orders, started_steps
from shared.calendars import WorkCalendar, working_minutes
from shared.db import new_id, utcnow
from shared.dependencies import PageParams, Transactions
from shared.errors import InvalidInput
from shared.queries import fetch_page, get_one, refuse_unknown_codes

log = logging.getLogger(__name__)

REPLAN_SECONDS = 5.0
"""Solve budget of a re-plan after downtime: it runs inside the transaction applying the event."""


def whole_minute(instant: datetime) -> datetime:
    """The instant rounded up to a whole minute."""
    floor = instant.replace(second=0, microsecond=0)
    return floor if floor == instant else floor + timedelta(minutes=1)


async def _work_centers(
    session: AsyncSession, orders: list[OrderToPlan], origin: datetime
) -> list[WorkCenterToPlan]:
    codes = sorted({step.work_center for order in orders for step in order.steps})
    await refuse_unknown_codes(
        session, KnownWorkCenter.code, codes, "work center", "unknown_work_centers"
    )
    rows = (
        await session.execute(select(KnownWorkCenter).where(KnownWorkCenter.code.in_(codes)))
    ).scalars()
    known = {row.code: row for row in rows}
    downtime: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for row in (
        await session.execute(
            select(KnownDowntime).where(
                KnownDowntime.work_center.in_(codes), KnownDowntime.end > origin
            )
        )
    ).scalars():
        downtime[row.work_center].append((row.start, row.end))
    return [
        WorkCenterToPlan(
            code,
            known[code].capacity,
            WorkCalendar.from_spec(known[code].calendar),
            tuple(downtime[code]),
        )
        for code in codes
    ]


async def _solve(
    session: AsyncSession,
    orders: list[OrderToPlan],
    origin: datetime,
    objective: Objective,
    seconds: float,
) -> Plan:
    centers = await _work_centers(session, orders, origin)
    started = await started_steps(session, orders)
    return await _plan(orders, centers, started, origin, objective, seconds)


async def _plan(
    orders: list[OrderToPlan],
    centers: list[WorkCenterToPlan],
    started: list[StartedStep],
    origin: datetime,
    objective: Objective,
    seconds: float,
    just_in_time: bool = False,
) -> Plan:
    try:
        return await anyio.to_thread.run_sync(
            lambda: plan_with_sub_assemblies(
                orders, centers, started, origin, objective, seconds, just_in_time
            )
        )
    except PlanningError as error:
        raise InvalidInput(str(error), **error.details) from error


async def _store(
    session: AsyncSession,
    result: Plan,
    orders: list[OrderToPlan],
    seconds: float,
    replaces: str | None = None,
    reason: str | None = None,
) -> StoredSchedule:
    latest = (await session.execute(select(func.max(StoredSchedule.version)))).scalar()
    by_order = {order.order_id: order for order in orders}
    numbers = dict(
        (
            await session.execute(
                select(ProductionOrder.id, ProductionOrder.number).where(
                    ProductionOrder.id.in_(list(by_order))
                )
            )
        ).all()
    )
    schedule = StoredSchedule(
        id=new_id(),
        version=(latest or 0) + 1,
        replaces=replaces,
        reason=reason,
        objective=result.objective,
        status=result.status,
        lower_bound=result.lower_bound,
        makespan_minutes=result.makespan_minutes,
        tardiness=result.tardiness,
        origin=result.origin,
        time_limit_seconds=seconds,
        created_at=utcnow(),
        late_orders=[_late(late, numbers) for late in late_orders(result, orders)],
        operations=[
            StoredOperation(
                position=n,
                order_id=op.order_id,
                product_sku=op.product_sku,
                quantity=op.quantity,
                sequence=op.sequence,
                work_center=op.work_center,
                start=op.start,
                end=op.end,
                setup_minutes=op.setup_minutes,
                run_minutes=op.run_minutes,
                due=by_order[op.order_id].due,
                weight=by_order[op.order_id].weight,
            )
            for n, op in enumerate(result.operations)
        ],
    )
    session.add(schedule)
    await session.flush()
    await outbox.record(
        session,
        SchedulePublished(
            schedule_id=schedule.id,
            version=schedule.version,
            replaces=replaces,
            objective=schedule.objective,
            status=schedule.status,
            makespan_minutes=schedule.makespan_minutes,
            operations=[
                ScheduledOperationData(
                    order_id=op.order_id,
                    product_sku=op.product_sku,
                    quantity=op.quantity,
                    sequence=op.sequence,
                    work_center=op.work_center,
                    start=op.start,
                    end=op.end,
                    setup_minutes=op.setup_minutes,
                    run_minutes=op.run_minutes,
                )
                for op in schedule.operations
            ],
        ),
        schedule.id,
    )
    await announce_late_in_schedule(session, _last_ends(schedule))
    return schedule


def _late(late: LateOrder, numbers: dict[str, str]) -> dict[str, Any]:
    why: dict[str, Any] = {"reason": late.reason}
    if late.reason == "material":
        why |= {
            "sku": late.sku,
            "expected_date": late.expected.date().isoformat() if late.expected else None,
            "source": late.source,
        }
    elif late.reason == "work_center":
        why["work_center"] = late.work_center
    return {
        "order_id": late.order_id,
        "number": numbers.get(late.order_id),
        "due": late.due.isoformat(),
        "end": late.end.isoformat(),
        "minutes_late": late.minutes_late,
        "why": why,
    }


def _last_ends(schedule: StoredSchedule) -> list[tuple[str, datetime, datetime | None]]:
    """Each order's last planned end, with its due."""
    ends: dict[str, tuple[datetime, datetime | None]] = {}
    for op in schedule.operations:
        end = ends.get(op.order_id, (op.end, op.due))[0]
        ends[op.order_id] = (max(end, op.end), op.due)
    return [(order_id, end, due) for order_id, (end, due) in ends.items()]


async def create_schedule(
    tx: Transactions, data: ScheduleCreate, source: OrderSource
) -> StoredSchedule:
    """Plan the orders on their work centers, store the schedule as a new version, publish it.

    The solve runs between two transactions: it may take minutes, and holding a transaction
    that long would stall every other writer (on SQLite, every other transaction). The second
    is the request's effect, in which its Idempotency-Key is marked committed.
    """
    async with tx.write() as session:
        orders = await source(session, data.order_ids)
        if not orders:
            raise InvalidInput("No released orders to schedule.", order_ids=data.order_ids)
        if data.order_ids is not None:
            missing = sorted(set(data.order_ids) - {order.order_id for order in orders})
            if missing:
                raise InvalidInput(
                    f"Not released or unknown order(s): {', '.join(missing)}.", order_ids=missing
                )
        # Nothing not yet started is planned before now, whatever start was asked for.
        now = utcnow()
        origin = whole_minute(max(data.start or now, now))
        centers = await _work_centers(session, orders, origin)
        started = await started_steps(session, orders)
    result = await _plan(
        orders, centers, started, origin, data.objective, data.time_limit_seconds, data.backward
    )
    async with tx.effect() as session:
        return await _store(session, result, orders, data.time_limit_seconds)


async def get_schedule(session: AsyncSession, schedule_id: str) -> StoredSchedule:
    """A schedule by id, or NotFound."""
    return await get_one(
        session, StoredSchedule, schedule_id, f"No schedule with id '{schedule_id}'."
    )


async def list_schedules(
    session: AsyncSession, page: PageParams
) -> tuple[list[StoredSchedule], int]:
    """Schedules, newest version first."""
    return await fetch_page(session, select(StoredSchedule), page, StoredSchedule.version.desc())


def orders_of(schedule: StoredSchedule) -> list[OrderToPlan]:
    """The orders a stored schedule planned, rebuilt from its operations."""
    steps: dict[str, list[StoredOperation]] = defaultdict(list)
    for op in schedule.operations:
        steps[op.order_id].append(op)
    orders = []
    for order_id, ops in steps.items():
        ops.sort(key=lambda op: op.sequence)
        first = ops[0]
        orders.append(
            OrderToPlan(
                order_id,
                first.product_sku,
                first.quantity,
                tuple(
                    RoutingStep(op.sequence, op.work_center, op.setup_minutes, op.run_minutes)
                    for op in ops
                ),
                due=first.due,
                weight=first.weight,
            )
        )
    return sorted(orders, key=lambda order: order.order_id)


async def _with_progress(session: AsyncSession, orders: list[OrderToPlan]) -> list[OrderToPlan]:
    """The orders less the operations the shop floor has completed since they were planned."""
    tasks = await tasks_of(session, [order.order_id for order in orders])
    kept = []
    for order in orders:
        done = {t.sequence for t in tasks.get(order.order_id, []) if t.completed_at is not None}
        steps = tuple(step for step in order.steps if step.sequence not in done)
        if steps:
            kept.append(replace(order, steps=steps))
    return kept


async def _current_orders(session: AsyncSession, stored: list[OrderToPlan]) -> list[OrderToPlan]:
    """The orders a schedule planned as they stand now: progress, materials awaited, sub-assembly
    orders."""
    try:
        fresh = {
            order.order_id: order
            for order in await released_orders(session, [o.order_id for o in stored])
        }
    except InvalidInput:
        fresh = {}
    known = set(
        (
            await session.execute(
                select(ProductionOrder.id).where(
                    ProductionOrder.id.in_([o.order_id for o in stored])
                )
            )
        ).scalars()
    )
    # An order completed or cancelled since is not planned again; one production does not know
    # (planned by another source) stays as stored.
    unknown = [o for o in stored if o.order_id not in fresh and o.order_id not in known]
    kept = await _with_progress(session, unknown)
    return sorted([*fresh.values(), *kept], key=lambda order: order.order_id)


async def replan_after_downtime(
    session: AsyncSession, downtime_id: str, work_center: str, start: datetime, end: datetime
) -> StoredSchedule | None:
    """If the current schedule runs operations on the work center during the downtime, re-plan.

    The current schedule is the latest version; the new version replaces it (the old one is
    kept) and plans the same operations around every downtime known, from the later of the old
    plan's start and now.
    """
    latest = (
        await session.execute(
            select(StoredSchedule).order_by(StoredSchedule.version.desc()).limit(1)
        )
    ).scalar_one_or_none()
    if latest is None:
        return None
    hit = any(
        op.work_center == work_center and op.start < end and op.end > start
        for op in latest.operations
    )
    if not hit:
        return None
    orders = await _current_orders(session, orders_of(latest))
    origin = max(latest.origin, whole_minute(utcnow()))
    seconds = min(latest.time_limit_seconds, REPLAN_SECONDS)
    objective: Objective = "tardiness" if latest.objective == "tardiness" else "makespan"
    try:
        result = await _solve(session, orders, origin, objective, seconds)
    except InvalidInput as refused:
        # Retrying the event would not change the answer; the current schedule stays.
        log.warning("re-plan after downtime %s not possible: %s", downtime_id, refused.detail)
        return None
    return await _store(
        session,
        result,
        orders,
        seconds,
        replaces=latest.id,
        reason=f"downtime {downtime_id} on {work_center}",
    )


async def schedule_kpis(session: AsyncSession, schedule_id: str) -> ScheduleKpis:
    """Makespan, tardiness and each work center's utilisation over the plan."""
    schedule = await get_schedule(session, schedule_id)
    ends: dict[str, datetime] = {}
    dues: dict[str, tuple[datetime | None, int]] = {}
    busy: dict[str, int] = defaultdict(int)
    for op in schedule.operations:
        ends[op.order_id] = max(ends.get(op.order_id, op.end), op.end)
        dues[op.order_id] = (op.due, op.weight)
        busy[op.work_center] += op.setup_minutes + op.run_minutes
    late = {
        order_id: int((end - due).total_seconds() // 60)
        for order_id, end in ends.items()
        if (due := dues[order_id][0]) is not None and end > due
    }
    plan_end = schedule.origin + timedelta(minutes=schedule.makespan_minutes)
    centers = {
        row.code: row
        for row in (
            await session.execute(
                select(KnownWorkCenter).where(KnownWorkCenter.code.in_(list(busy)))
            )
        ).scalars()
    }
    uses = []
    for code in sorted(busy):
        available = Decimal(0)
        center = centers.get(code)
        if center is not None:
            downtime = [
                (row.start, row.end)
                for row in (
                    await session.execute(
                        select(KnownDowntime).where(KnownDowntime.work_center == code)
                    )
                ).scalars()
            ]
            available = center.capacity * working_minutes(
                WorkCalendar.from_spec(center.calendar), schedule.origin, plan_end, downtime
            )
        uses.append(
            WorkCenterUse(
                work_center=code,
                busy_minutes=busy[code],
                available_minutes=int(available),
                utilisation=round(float(busy[code] / available), 4) if available else 0.0,
            )
        )
    return ScheduleKpis(
        schedule_id=schedule.id,
        makespan_minutes=schedule.makespan_minutes,
        total_tardiness_minutes=sum(late.values()),
        weighted_tardiness=sum(minutes * dues[o][1] for o, minutes in late.items()),
        late_orders=len(late),
        work_centers=uses,
    )
