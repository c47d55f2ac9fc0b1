"""HTTP routes of dispatch lists and task execution.

Wherever a task is named in a path, its id, its work center's code (the task running there, else
the next one) or its order's id or number (`MO-...`: its first open operation) will do.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Response

from services.operations.orders.lookup import learn_order_of_task
from services.operations.tasks import execution, service
from services.operations.tasks.problems import QuantityBeyondReached, TaskNotReady
from services.operations.tasks.schemas import (
    DispatchRow,
    TaskClose,
    TaskCompletion,
    TaskCorrectionCreate,
    TaskCorrectionRead,
    TaskPauseRequest,
    TaskRead,
    TaskReportCreate,
    TaskReportRead,
    TaskResume,
    TaskStart,
    TaskStatus,
)
from shared.auth import CurrentPrincipal, require_scope
from shared.concurrency import set_etag
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep, TransactionsDep
from shared.queries import DatedListParams, dated_list_params

router = APIRouter(prefix="/api/v1", tags=["tasks"])
READ = [require_scope("operations:read")]
WRITE = [require_scope("operations:write")]

NOT_READY_EXAMPLE: dict[str, Any] = {
    "type": "urn:plantline:problem:" + TaskNotReady.slug,
    "title": TaskNotReady.title,
    "status": 409,
    "detail": "Task 20 of order 0f6f1c8e-... at WELD is not ready: operation 10 at SAW has "
    "reported 0 good of the 20 needed; the order's materials are short, not reserved.",
    "task_id": "5b0e6f0c-1d1b-4a0e-9d51-0f3b2b9b3c11",
    "waiting_for": [
        {
            "kind": "previous_operation",
            "sequence": 10,
            "work_center": "SAW",
            "reported": "0",
            "needed": "20",
        },
        {"kind": "materials", "materials_status": "short"},
    ],
}
BEYOND_EXAMPLE: dict[str, Any] = {
    "type": "urn:plantline:problem:" + QuantityBeyondReached.slug,
    "title": QuantityBeyondReached.title,
    "status": 409,
    "detail": "Operation 20 at WELD received 20 and may report 20 at most ...",
    "reached": "20",
    "limit": "20",
    "reported": "0",
    "requested": "27",
}


def _problem(description: str, example: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"example": example}},
    }


TaskRef = Annotated[
    str,
    Path(
        description="A task id; or a work-center code (its running task, else its next); or an "
        "order's id or number (`MO-...`: its first open operation).",
        examples=["WELD"],
    ),
]


TASK_LIST = dated_list_params(["planned_start"], "planned_start", "planned_start")


@router.get(
    "/work-centers/{code}/dispatch-list", dependencies=READ, response_model=Page[DispatchRow]
)
async def dispatch_list(
    code: str,
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[DatedListParams, Depends(TASK_LIST)],
    status: Annotated[
        list[TaskStatus] | None,
        Query(description="Only tasks in these states (default: planned, started, paused)."),
    ] = None,
    day: Annotated[
        date | None, Query(description="Only tasks planned to run (partly) on this UTC day.")
    ] = None,
) -> Page[DispatchRow]:
    """The work center's tasks, next first, each with its order (number, due date, priority),
    the quantity to make and made so far, and its readiness: `ready`, `waiting` (with what it
    waits for: the previous operation, the order's materials) or `late` (past its planned end).

    Built from `production.schedule.published`: a newer schedule replaces the tasks not started
    yet of the orders it covers; started and completed ones stay.
    """
    rows, total = await service.dispatch_list(session, code, page, list(status or []), day, dated)
    return Page.of(rows, total, page)


@router.get("/tasks/{task_id}", dependencies=READ, response_model=TaskRead)
async def get_task(task_id: TaskRef, session: ReadSessionDep, response: Response) -> TaskRead:
    """One task, planned and actual."""
    task = await service.get_task(session, task_id)
    set_etag(response, task.version)
    return TaskRead.model_validate(task)


@router.post(
    "/tasks/{task_id}/start",
    dependencies=WRITE,
    response_model=TaskRead,
    responses={409: _problem("Not ready (`task-not-ready`), or busy.", NOT_READY_EXAMPLE)},
)
async def start_task(
    task_id: TaskRef,
    tx: TransactionsDep,
    principal: CurrentPrincipal,
    data: Annotated[TaskStart | None, Body()] = None,
) -> TaskRead:
    """Start a planned task once it is ready: the operation before it has reported enough good
    units (all, or the routing's overlap quantity) and the order's materials are reserved.

    409 `task-not-ready` lists what it waits for; a supervisor (`admin` or
    `operations:supervise`) may start it anyway with an `override_reason`, kept on the task and
    on the order's timeline. Publishes `operations.task.started`. An order operations has not
    heard of yet is asked of production first.
    """
    await learn_order_of_task(tx, task_id)
    async with tx.effect() as session:
        task = await execution.start_task(session, task_id, data or TaskStart(), principal)
        return TaskRead.model_validate(task)


@router.post("/tasks/{task_id}/pause", dependencies=WRITE, response_model=TaskRead)
async def pause_task(
    task_id: TaskRef, data: TaskPauseRequest, session: SessionDep, principal: CurrentPrincipal
) -> TaskRead:
    """Pause a started task for a loss reason (`GET /api/v1/loss-reasons`); the paused time is
    not worked time and counts against availability under that reason. 409 unless started.
    Publishes `operations.task.paused`."""
    return TaskRead.model_validate(await execution.pause_task(session, task_id, data, principal))


@router.post("/tasks/{task_id}/resume", dependencies=WRITE, response_model=TaskRead)
async def resume_task(
    task_id: TaskRef,
    session: SessionDep,
    principal: CurrentPrincipal,
    data: Annotated[TaskResume | None, Body()] = None,
) -> TaskRead:
    """Resume a paused task; 409 unless paused."""
    task = await execution.resume_task(session, task_id, data or TaskResume(), principal)
    return TaskRead.model_validate(task)


@router.post(
    "/tasks/{task_id}/report",
    dependencies=WRITE,
    response_model=TaskRead,
    responses={409: _problem("More than reached the operation.", BEYOND_EXAMPLE)},
)
async def report_task(
    task_id: TaskRef, data: TaskReportCreate, session: SessionDep, principal: CurrentPrincipal
) -> TaskRead:
    """Report good and scrap units made since the last report, on a started or paused task.

    Good plus scrap reported on an operation may not exceed what reached it (the previous
    operation's good units, or the order quantity for the first) beyond its work center's
    tolerance: 409 `quantity-beyond-reached`. Publishes `operations.task.reported`; the next
    operation becomes ready as the good units arrive when its routing allows overlap.
    """
    return TaskRead.model_validate(await execution.report_task(session, task_id, data, principal))


@router.get("/tasks/{task_id}/reports", dependencies=READ, response_model=list[TaskReportRead])
async def task_reports(task_id: TaskRef, session: ReadSessionDep) -> list[TaskReportRead]:
    """The task's reports, as they were made (corrections do not change them)."""
    return [TaskReportRead.model_validate(r) for r in await execution.reports_of(session, task_id)]


@router.post(
    "/tasks/{task_id}/complete",
    dependencies=WRITE,
    response_model=TaskRead,
    responses={409: _problem("Illegal transition, or more than reached.", BEYOND_EXAMPLE)},
)
async def complete_task(
    task_id: TaskRef,
    session: SessionDep,
    principal: CurrentPrincipal,
    data: Annotated[
        TaskCompletion | TaskClose | None,
        Body(
            openapi_examples={
                "all at once": {"value": {"good_quantity": "48", "scrap_quantity": "2"}},
                "after reports": {"summary": "with what was reported", "value": {}},
            }
        ),
    ] = None,
) -> TaskRead:
    """Finish a started or paused task. With quantities, they are its last report (for a task
    with no reports before: all it made); without, it closes with what was reported. 409 in
    other states.

    Publishes `operations.task.completed` with the totals, the worked minutes (pauses
    excluded), the work center's cost per hour and whether it was the order's last operation.
    """
    completion = data if isinstance(data, TaskCompletion) else None
    badge = data.operator if isinstance(data, TaskClose) else None
    task = await execution.complete_task(session, task_id, completion, principal, badge)
    return TaskRead.model_validate(task)


@router.post(
    "/tasks/{task_id}/corrections",
    dependencies=WRITE,
    response_model=TaskCorrectionRead,
    status_code=201,
)
async def correct_task(
    task_id: TaskRef, data: TaskCorrectionCreate, session: SessionDep, principal: CurrentPrincipal
) -> TaskCorrectionRead:
    """Correct a completed task's good and scrap totals, saying why; the reports stay as they
    were. 409 unless completed, or if the new totals go beyond what reached the operation or
    below what the next operation has used. Publishes `operations.task.corrected`: production's
    order progress and costs and operations' OEE follow it."""
    correction = await execution.correct_task(session, task_id, data, principal)
    return TaskCorrectionRead.model_validate(correction)


@router.get(
    "/tasks/{task_id}/corrections", dependencies=READ, response_model=list[TaskCorrectionRead]
)
async def task_corrections(task_id: TaskRef, session: ReadSessionDep) -> list[TaskCorrectionRead]:
    """The task's corrections, oldest first."""
    found = await execution.corrections_of(session, task_id)
    return [TaskCorrectionRead.model_validate(c) for c in found]
