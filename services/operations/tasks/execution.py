"""Executing tasks: start (when ready, or by a supervisor's override), pause for a loss reason,
resume, report quantities, complete, and correct a completed task."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.database import outbox
from services.operations.domain.shop_floor import report_limit
from services.operations.events import (
    TaskCompleted,
    TaskCorrected,
    TaskPaused,
    TaskReported,
    TaskStarted,
)
from services.operations.losses.service import require_active_reason
from services.operations.tasks.models import Task, TaskCorrection, TaskPause, TaskReport
from services.operations.tasks.problems import QuantityBeyondReached, TaskNotReady
from services.operations.tasks.readiness import LIVE, limit_of, order_facts, wait_reads
from services.operations.tasks.schemas import (
    TaskCompletion,
    TaskCorrectionCreate,
    TaskPauseRequest,
    TaskReportCreate,
    TaskResume,
    TaskStart,
)
from services.operations.tasks.service import get_task, touch
from services.operations.timeline import service as timeline
from services.operations.work_centers.models import WorkCenter
from shared.auth import Principal
from shared.calendars import minutes_in
from shared.db import new_id, utcnow
from shared.errors import Conflict, Forbidden, IllegalTransition, InvalidInput
from shared.numbers import quantize

SUPERVISE = "operations:supervise"

TaskEvent = TaskStarted | TaskCompleted | TaskReported | TaskCorrected | TaskPaused


def _refuse(task: Task, action: str, allowed: tuple[str, ...]) -> None:
    if task.status not in allowed:
        raise IllegalTransition(
            f"A {task.status} task cannot be {action}.",
            task_id=task.id,
            current_status=task.status,
        )


def _task_fields(task: Task) -> dict[str, Any]:
    """The fields every task event opens with: which task, of which order, where."""
    return {
        "task_id": task.id,
        "order_id": task.order_id,
        "sequence": task.sequence,
        "work_center": task.work_center,
    }


def _text(amount: Decimal) -> str:
    # as the API writes decimals everywhere else: no trailing zeros
    return format(amount.normalize(), "f")


def operator_of(principal: Principal, badge: str | None) -> str:
    """Who acts: the badge a kiosk sent, else the token's subject."""
    return badge or principal.subject


async def _lock_order(session: AsyncSession, reference: str) -> Task:
    """The task, with every operation of its order locked in sequence order.

    Reports, completions, starts and corrections on neighbouring operations check each other's
    quantities, so they take the same locks; taking them in one order keeps them from
    deadlocking.
    """
    found = await get_task(session, reference)
    await session.execute(
        select(Task)
        .where(Task.order_id == found.order_id, or_(Task.status.in_(LIVE), Task.id == found.id))
        .order_by(Task.sequence, Task.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return found


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


def _describe(waits: list[dict[str, object]]) -> str:
    parts = []
    for wait in waits:
        if wait["kind"] == "previous_operation":
            parts.append(
                f"operation {wait['sequence']} at {wait['work_center']} has reported "
                f"{wait['reported']} good of the {wait['needed']} needed"
            )
        else:
            parts.append(f"the order's materials are {wait['materials_status']}, not reserved")
    return "; ".join(parts)


async def start_task(
    session: AsyncSession, reference: str, data: TaskStart, principal: Principal
) -> Task:
    """Start a planned task that is ready (or, for a supervisor, one that is not), and announce
    it; 409 while it waits or while every unit of its work center is busy."""
    task = await _lock_order(session, reference)
    _refuse(task, "started", ("planned",))
    facts = await order_facts(session, [task])
    waits = [w.model_dump(mode="json", exclude_none=True) for w in wait_reads(facts.waits(task))]
    operator = operator_of(principal, data.operator)
    if waits and data.override_reason is None:
        raise TaskNotReady(
            f"Task {task.sequence} of order {task.order_id} at {task.work_center} is not ready: "
            f"{_describe(waits)}. A supervisor may start it with an override_reason.",
            task_id=task.id,
            order_id=task.order_id,
            waiting_for=waits,
        )
    if data.override_reason is not None and not principal.allows(SUPERVISE):
        raise Forbidden(
            f"Starting a task before it is ready needs the scope '{SUPERVISE}' or admin.",
            required_scope=SUPERVISE,
        )
    await _claim_unit(session, task)
    now = utcnow()
    task.status = "started"
    task.started_at = now
    task.started_by = operator
    if data.override_reason is not None:
        task.override_reason = data.override_reason
        task.overridden_by = principal.subject
    touch(task, now)
    await session.flush()
    event = TaskStarted(
        **_task_fields(task),
        started_at=now,
        operator=operator,
        override_reason=data.override_reason,
        waited_for=waits if data.override_reason is not None else [],
    )
    await _record(session, event, task)
    return task


async def pause_task(
    session: AsyncSession, reference: str, data: TaskPauseRequest, principal: Principal
) -> Task:
    """Pause a started task for a loss reason; the time until it resumes is not worked time."""
    task = await get_task(session, reference, for_update=True)
    _refuse(task, "paused", ("started",))
    await require_active_reason(session, data.reason)
    now = utcnow()
    operator = operator_of(principal, data.operator)
    task.status = "paused"
    task.paused_at = now
    task.pause_reason = data.reason
    touch(task, now)
    session.add(
        TaskPause(
            id=new_id(),
            task_id=task.id,
            work_center=task.work_center,
            reason=data.reason,
            note=data.note,
            operator=operator,
            started_at=now,
        )
    )
    await session.flush()
    event = TaskPaused(
        **_task_fields(task),
        reason=data.reason,
        note=data.note,
        operator=operator,
        paused_at=now,
    )
    await _record(session, event, task)
    return task


async def _close_pause(
    session: AsyncSession, task: Task, now: datetime, operator: str | None = None
) -> None:
    if task.paused_at is not None:
        task.paused_minutes = quantize(task.paused_minutes + minutes_in([(task.paused_at, now)]))
        task.paused_at = None
        task.pause_reason = None
        rows = await session.execute(
            select(TaskPause).where(TaskPause.task_id == task.id, TaskPause.ended_at.is_(None))
        )
        for pause in rows.scalars():
            pause.ended_at = now
            pause.resumed_by = operator


async def resume_task(
    session: AsyncSession, reference: str, data: TaskResume, principal: Principal
) -> Task:
    """Resume a paused task (the pause keeps who resumed it); 409 while every unit of its work
    center is busy."""
    task = await get_task(session, reference, for_update=True)
    _refuse(task, "resumed", ("paused",))
    await _claim_unit(session, task)
    now = utcnow()
    await _close_pause(session, task, now, operator_of(principal, data.operator))
    task.status = "started"
    touch(task, now)
    await session.flush()
    return task


async def _check_quantities(
    session: AsyncSession, task: Task, good: Decimal, scrap: Decimal, *, adding: bool
) -> None:
    """Refuse totals beyond what reached the operation plus its work center's tolerance."""
    facts = await order_facts(session, [task])
    arrived, limit = await limit_of(session, facts, task)
    before = task.reported_good + task.reported_scrap if adding else Decimal(0)
    if before + good + scrap > limit:
        raise QuantityBeyondReached(
            f"Operation {task.sequence} at {task.work_center} received {_text(arrived)} and may "
            f"report {_text(limit)} at most (good plus scrap, with the work center's tolerance); "
            f"{_text(before)} reported already, {_text(good + scrap)} more is too much.",
            task_id=task.id,
            reached=_text(arrived),
            limit=_text(limit),
            reported=_text(before),
            requested=_text(good + scrap),
        )


async def _add_report(
    session: AsyncSession,
    task: Task,
    good: Decimal,
    scrap: Decimal,
    scrap_reason: str | None,
    operator: str,
    now: datetime,
) -> None:
    await _check_quantities(session, task, good, scrap, adding=True)
    report = TaskReport(
        id=new_id(),
        task_id=task.id,
        good_quantity=good,
        scrap_quantity=scrap,
        scrap_reason=scrap_reason,
        operator=operator,
        reported_at=now,
    )
    session.add(report)
    task.reported_good = quantize(task.reported_good + good)
    task.reported_scrap = quantize(task.reported_scrap + scrap)
    touch(task, now)
    await session.flush()
    event = TaskReported(
        **_task_fields(task),
        report_id=report.id,
        good_quantity=good,
        scrap_quantity=scrap,
        scrap_reason=scrap_reason,
        total_good=task.reported_good,
        total_scrap=task.reported_scrap,
        operator=operator,
        reported_at=now,
    )
    await _record(session, event, task)


async def report_task(
    session: AsyncSession, reference: str, data: TaskReportCreate, principal: Principal
) -> Task:
    """Record good and scrap units made so far on a started or paused task, and announce them."""
    task = await _lock_order(session, reference)
    _refuse(task, "reported on", ("started", "paused"))
    if data.good_quantity == 0 and data.scrap_quantity == 0:
        raise InvalidInput("A report needs some good or scrap units.", task_id=task.id)
    await _add_report(
        session,
        task,
        data.good_quantity,
        data.scrap_quantity,
        data.scrap_reason,
        operator_of(principal, data.operator),
        utcnow(),
    )
    return task


async def _is_last_operation(session: AsyncSession, task: Task) -> bool:
    later = await session.execute(
        select(func.count())
        .select_from(Task)
        .where(
            Task.order_id == task.order_id,
            Task.status.notin_(("replaced", "cancelled")),
            Task.sequence > task.sequence,
        )
    )
    return int(later.scalar_one()) == 0


async def complete_task(
    session: AsyncSession,
    reference: str,
    data: TaskCompletion | None,
    principal: Principal,
    badge: str | None = None,
) -> Task:
    """Finish a started or paused task, with a last report if quantities are sent, else with
    what was reported; announce it with worked time and cost."""
    task = await _lock_order(session, reference)
    _refuse(task, "completed", ("started", "paused"))
    now = utcnow()
    operator = operator_of(principal, data.operator if data is not None else badge)
    if data is not None and (data.good_quantity > 0 or data.scrap_quantity > 0):
        await _add_report(
            session,
            task,
            data.good_quantity,
            data.scrap_quantity,
            data.scrap_reason,
            operator,
            now,
        )
    await _close_pause(session, task, now, operator)
    assert task.started_at is not None
    task.status = "completed"
    task.completed_at = now
    task.completed_by = operator
    task.good_quantity = task.reported_good
    task.scrap_quantity = task.reported_scrap
    task.worked_minutes = quantize(
        max(Decimal(0), minutes_in([(task.started_at, now)]) - task.paused_minutes)
    )
    touch(task, now)
    await session.flush()
    center = await session.get(WorkCenter, task.work_center)
    event = TaskCompleted(
        **_task_fields(task),
        started_at=task.started_at,
        completed_at=now,
        good_quantity=task.good_quantity,
        scrap_quantity=task.scrap_quantity,
        worked_minutes=task.worked_minutes,
        cost_per_hour=center.cost_per_hour if center is not None else Decimal(0),
        last_operation=await _is_last_operation(session, task),
        operator=operator,
    )
    await _record(session, event, task)
    return task


async def correct_task(
    session: AsyncSession, reference: str, data: TaskCorrectionCreate, principal: Principal
) -> TaskCorrection:
    """Correct a completed task's totals, keeping its reports; announce the correction.

    409 beyond what reached the operation, or if the next operation already reported more than
    the corrected good quantity lets reach it.
    """
    task = await _lock_order(session, reference)
    _refuse(task, "corrected", ("completed",))
    await _check_quantities(session, task, data.good_quantity, data.scrap_quantity, adding=False)
    facts = await order_facts(session, [task])
    following = facts.following(task)
    if following is not None:
        center = await session.get(WorkCenter, following.work_center)
        tolerance = center.report_tolerance_percent if center is not None else Decimal(0)
        used = following.reported_good + following.reported_scrap
        if used > report_limit(data.good_quantity, tolerance):
            raise QuantityBeyondReached(
                f"Operation {following.sequence} at {following.work_center} has reported {used} "
                f"already; {data.good_quantity} good here would not have reached it.",
                task_id=task.id,
                next_task_id=following.id,
                next_reported=_text(used),
            )
    now = utcnow()
    corrected_by = operator_of(principal, data.operator)
    correction = TaskCorrection(
        id=new_id(),
        task_id=task.id,
        old_good_quantity=task.reported_good,
        old_scrap_quantity=task.reported_scrap,
        good_quantity=data.good_quantity,
        scrap_quantity=data.scrap_quantity,
        reason=data.reason,
        corrected_by=corrected_by,
        corrected_at=now,
    )
    session.add(correction)
    task.reported_good = task.good_quantity = data.good_quantity
    task.reported_scrap = task.scrap_quantity = data.scrap_quantity
    touch(task, now)
    await session.flush()
    event = TaskCorrected(
        **_task_fields(task),
        correction_id=correction.id,
        old_good_quantity=correction.old_good_quantity,
        old_scrap_quantity=correction.old_scrap_quantity,
        good_quantity=correction.good_quantity,
        scrap_quantity=correction.scrap_quantity,
        reason=correction.reason,
        corrected_by=corrected_by,
        corrected_at=now,
        last_operation=await _is_last_operation(session, task),
    )
    await _record(session, event, task)
    return correction


async def reports_of(session: AsyncSession, reference: str) -> list[TaskReport]:
    """A task's reports, oldest first."""
    task = await get_task(session, reference)
    rows = await session.execute(
        select(TaskReport)
        .where(TaskReport.task_id == task.id)
        .order_by(TaskReport.reported_at, TaskReport.id)
    )
    return list(rows.scalars())


async def corrections_of(session: AsyncSession, reference: str) -> list[TaskCorrection]:
    """A task's corrections, oldest first."""
    task = await get_task(session, reference)
    rows = await session.execute(
        select(TaskCorrection)
        .where(TaskCorrection.task_id == task.id)
        .order_by(TaskCorrection.corrected_at, TaskCorrection.id)
    )
    return list(rows.scalars())


async def _record(session: AsyncSession, event: TaskEvent, task: Task) -> None:
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
