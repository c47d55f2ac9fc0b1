"""Use cases of tasks: dispatch lists from published schedules, and executing the tasks."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.database import outbox
from services.operations.events import TaskCompleted, TaskStarted
from services.operations.tasks.models import OrderSchedule, Task
from services.operations.tasks.schemas import ScheduledOperation, SchedulePublished, TaskCompletion
from services.operations.timeline import service as timeline
from services.operations.work_centers.models import WorkCenter
from services.operations.work_centers.service import get_work_center
from shared.calendars import minutes_in
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import Conflict, IllegalTransition
from shared.numbers import quantize
from shared.queries import fetch_page, get_one

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
        _touch(task, now)
        cancelled += 1
    await session.flush()
    return cancelled


async def dispatch_list(
    session: AsyncSession,
    code: str,
    page: PageParams,
    statuses: list[str] | None = None,
) -> tuple[list[Task], int]:
    """A work center's tasks in planned order (open ones by default), one page."""
    await get_work_center(session, code)
    query = select(Task).where(Task.work_center == code, Task.status.in_(statuses or OPEN))
    return await fetch_page(session, query, page, Task.planned_start, Task.sequence, Task.id)


async def get_task(session: AsyncSession, task_id: str, *, for_update: bool = False) -> Task:
    """A task by id, or NotFound."""
    return await get_one(
        session, Task, task_id, f"No task '{task_id}'.", task_id=task_id, for_update=for_update
    )


def _refuse(task: Task, action: str, allowed: tuple[str, ...]) -> None:
    if task.status not in allowed:
        raise IllegalTransition(
            f"A {task.status} task cannot be {action}.", task_id=task.id, current_status=task.status
        )


def _touch(task: Task, now: datetime) -> None:
    task.version += 1
    task.updated_at = now


async def _claim_unit(session: AsyncSession, task: Task) -> None:
    """Refuse to run more tasks at once than the work center has units (a paused task frees its
    unit). The work center's row is locked so two starts cannot both take the last unit."""
    center = await session.get(WorkCenter, task.work_center, with_for_update=True)
    if center is None:
        return  # a work center operations does not know: nothing to hold the task to
    running = (
        (
            await session.execute(
                select(Task.id)
                .where(
                    Task.work_center == center.code, Task.status == "started", Task.id != task.id
                )
                .order_by(Task.started_at)
            )
        )
        .scalars()
        .all()
    )
    if len(running) >= center.capacity:
        raise Conflict(
            f"Work center {center.code} runs {center.capacity} task(s) at once and is busy: "
            "complete or pause one first.",
            work_center=center.code,
            capacity=center.capacity,
            running_task_ids=list(running),
        )


async def start_task(session: AsyncSession, task_id: str) -> Task:
    """Start a planned task and announce it; 409 while every unit of its work center is busy."""
    task = await get_task(session, task_id, for_update=True)
    _refuse(task, "started", ("planned",))
    await _claim_unit(session, task)
    now = utcnow()
    task.status = "started"
    task.started_at = now
    _touch(task, now)
    await session.flush()
    event = TaskStarted(
        task_id=task.id,
        order_id=task.order_id,
        sequence=task.sequence,
        work_center=task.work_center,
        started_at=now,
    )
    await _record(session, event, task)
    return task


async def pause_task(session: AsyncSession, task_id: str) -> Task:
    """Pause a started task; the time until it resumes is not worked time."""
    task = await get_task(session, task_id, for_update=True)
    _refuse(task, "paused", ("started",))
    now = utcnow()
    task.status = "paused"
    task.paused_at = now
    _touch(task, now)
    await session.flush()
    return task


def _close_pause(task: Task, now: datetime) -> None:
    if task.paused_at is not None:
        task.paused_minutes = quantize(task.paused_minutes + minutes_in([(task.paused_at, now)]))
        task.paused_at = None


async def resume_task(session: AsyncSession, task_id: str) -> Task:
    """Resume a paused task; 409 while every unit of its work center is busy."""
    task = await get_task(session, task_id, for_update=True)
    _refuse(task, "resumed", ("paused",))
    await _claim_unit(session, task)
    now = utcnow()
    _close_pause(task, now)
    task.status = "started"
    _touch(task, now)
    await session.flush()
    return task


async def _is_last_operation(session: AsyncSession, task: Task) -> bool:
    later = await session.execute(
        select(func.count())
        .select_from(Task)
        .where(
            Task.order_id == task.order_id,
            Task.status != "replaced",
            Task.sequence > task.sequence,
        )
    )
    return int(later.scalar_one()) == 0


async def complete_task(session: AsyncSession, task_id: str, data: TaskCompletion) -> Task:
    """Finish a started or paused task with its quantities; announce it with worked time and cost."""
    task = await get_task(session, task_id, for_update=True)
    _refuse(task, "completed", ("started", "paused"))
    now = utcnow()
    _close_pause(task, now)
    assert task.started_at is not None
    task.status = "completed"
    task.completed_at = now
    task.good_quantity = data.good_quantity
    task.scrap_quantity = data.scrap_quantity
    task.worked_minutes = quantize(
        max(Decimal(0), minutes_in([(task.started_at, now)]) - task.paused_minutes)
    )
    _touch(task, now)
    await session.flush()
    center = await session.get(WorkCenter, task.work_center)
    event = TaskCompleted(
        task_id=task.id,
        order_id=task.order_id,
        sequence=task.sequence,
        work_center=task.work_center,
        started_at=task.started_at,
        completed_at=now,
        good_quantity=data.good_quantity,
        scrap_quantity=data.scrap_quantity,
        worked_minutes=task.worked_minutes,
        cost_per_hour=center.cost_per_hour if center is not None else Decimal(0),
        last_operation=await _is_last_operation(session, task),
    )
    await _record(session, event, task)
    return task


async def _record(session: AsyncSession, event: TaskStarted | TaskCompleted, task: Task) -> None:
    event_id = await outbox.record(session, event, task.id)
    await timeline.record(
        session,
        event_id=event_id,
        event_type=event.event_type,
        source="/plantline/operations",
        subject=task.id,
        occurred_at=utcnow(),
        data=event.model_dump(mode="json"),
    )
