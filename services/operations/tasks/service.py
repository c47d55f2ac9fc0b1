"""Use cases of tasks: dispatch lists from published schedules, and finding a task."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.orders.service import order_id_of
from services.operations.tasks.models import OrderSchedule, Task
from services.operations.tasks.readiness import OrderFacts, order_facts, wait_reads
from services.operations.tasks.schemas import (
    DispatchRow,
    ScheduledOperation,
    SchedulePublished,
    TaskRead,
)
from services.operations.work_centers.models import WorkCenter
from services.operations.work_centers.service import get_work_center
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import NotFound
from shared.queries import DatedListParams, fetch_page, get_one

KEPT = ("started", "paused", "completed")
"""Tasks a newer schedule leaves alone: work has begun on them."""

OPEN = ("planned", "started", "paused")


def _is_newer(current: OrderSchedule, schedule: SchedulePublished, published_at: datetime) -> bool:
    # Versions count up across schedules, so they order them even when their events, keyed by
    # schedule id, arrive out of order; the publication time only breaks a tie.
    if schedule.replaces == current.schedule_id:
        return True
    if schedule.version != current.version:
        return schedule.version > current.version
    return schedule.schedule_id != current.schedule_id and published_at > current.published_at


async def apply_schedule(
    session: AsyncSession, schedule: SchedulePublished, published_at: datetime
) -> int:
    """Turn a published schedule into tasks; returns how many tasks were planned.

    For each order the schedule covers, unless the order already follows a newer schedule, its
    not-yet-started tasks are replaced by the new ones; started, paused and completed tasks stay,
    and the new schedule's operation of the same sequence is then not planned again.
    """
    by_order: dict[str, list[ScheduledOperation]] = defaultdict(list)
    for operation in schedule.operations:
        by_order[operation.order_id].append(operation)
    planned = 0
    now = utcnow()
    for order_id, operations in by_order.items():
        current = await session.get(OrderSchedule, order_id, with_for_update=True)
        if current is not None and not _is_newer(current, schedule, published_at):
            continue
        if current is None:
            current = OrderSchedule(order_id=order_id)
            session.add(current)
        current.schedule_id = schedule.schedule_id
        current.version = schedule.version
        current.published_at = published_at
        existing = (
            await session.execute(
                select(Task).where(Task.order_id == order_id, Task.status.in_(("planned", *KEPT)))
            )
        ).scalars()
        kept: set[int] = set()
        for task in existing:
            if task.status in KEPT:
                kept.add(task.sequence)
            else:
                task.status = "replaced"
                task.version += 1
                task.updated_at = now
        for operation in operations:
            if operation.sequence in kept:
                continue
            session.add(
                Task(
                    id=new_id(),
                    schedule_id=schedule.schedule_id,
                    schedule_version=schedule.version,
                    order_id=order_id,
                    product_sku=operation.product_sku,
                    quantity=operation.quantity,
                    sequence=operation.sequence,
                    work_center=operation.work_center,
                    planned_start=operation.start,
                    planned_end=operation.end,
                    setup_minutes=operation.setup_minutes,
                    run_minutes=operation.run_minutes,
                    status="planned",
                    paused_minutes=Decimal(0),
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
            )
            planned += 1
    await session.flush()
    return planned


async def cancel_order(session: AsyncSession, order_id: str) -> int:
    """Take a cancelled order's tasks not started yet off the dispatch lists; returns how many.

    Tasks begun stay, so what was done is still reported; a later schedule does not re-plan
    the order's cancelled operations unless it is newer than the cancellation's schedule.
    """
    now = utcnow()
    rows = await session.execute(
        select(Task).where(Task.order_id == order_id, Task.status == "planned")
    )
    cancelled = 0
    for task in rows.scalars():
        task.status = "cancelled"
        touch(task, now)
        cancelled += 1
    await session.flush()
    return cancelled


DISPATCH_LIST_DEFAULT = DatedListParams("planned_start")


async def dispatch_list(
    session: AsyncSession,
    code: str,
    page: PageParams,
    statuses: list[str] | None = None,
    day: date | None = None,
    dated: DatedListParams = DISPATCH_LIST_DEFAULT,
) -> tuple[list[DispatchRow], int]:
    """A work center's tasks next first (open ones by default), optionally of one planned day
    or within a window, one page, each with its order and what it waits for."""
    center = await get_work_center(session, code)
    query = dated.within(select(Task), Task.planned_start)
    query = query.where(Task.work_center == center.code, Task.status.in_(statuses or OPEN))
    if day is not None:
        start = datetime.combine(day, time(0), UTC)
        query = query.where(
            Task.planned_start < start + timedelta(days=1), Task.planned_end > start
        )
    order = dated.order_by({"planned_start": Task.planned_start})
    tasks, total = await fetch_page(session, query, page, *order, Task.sequence, Task.id)
    facts = await order_facts(session, tasks)
    now = utcnow()
    return [dispatch_row(task, facts, now) for task in tasks], total


def dispatch_row(task: Task, facts: OrderFacts, now: datetime) -> DispatchRow:
    """A task as a dispatch list shows it: with its order and its readiness."""
    found = facts.waits(task) if task.status == "planned" else []
    order = facts.orders.get(task.order_id)
    if found:
        readiness = "waiting"
    elif task.status != "completed" and now > task.planned_end:
        readiness = "late"
    else:
        readiness = "ready"
    return DispatchRow.model_validate(
        {
            **TaskRead.model_validate(task).model_dump(),
            "order_number": order.number if order else None,
            "due_date": order.due_date if order else None,
            "priority": order.priority if order else None,
            "readiness": readiness,
            "waiting_for": wait_reads(found),
        }
    )


async def get_task(session: AsyncSession, reference: str, *, for_update: bool = False) -> Task:
    """A task by id; or the current task of a work center (its running one, else its next) or
    of an order (by id or number: its first open operation); else NotFound."""
    task = await session.get(Task, reference, with_for_update=for_update)
    if task is not None:
        return task
    found = await _current_task(session, reference)
    if found is None:
        raise NotFound(f"No task '{reference}'.", task_id=reference)
    return await get_one(session, Task, found, f"No task '{reference}'.", for_update=for_update)


async def _current_task(session: AsyncSession, reference: str) -> str | None:
    center = await session.get(WorkCenter, reference)
    if center is not None:
        where = Task.work_center == center.code
    else:
        where = Task.order_id == await order_id_of(session, reference)
    # started first, then paused, then planned; next by plan within each
    rank = case((Task.status == "started", 0), (Task.status == "paused", 1), else_=2)
    row = await session.execute(
        select(Task.id)
        .where(where, Task.status.in_(OPEN))
        .order_by(rank, Task.sequence if center is None else Task.planned_start, Task.planned_start)
        .limit(1)
    )
    return row.scalar_one_or_none()


def touch(task: Task, now: datetime) -> None:
    """Count a change of the task."""
    task.version += 1
    task.updated_at = now
