"""HTTP routes of dispatch lists and task execution."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from services.operations.tasks import service
from services.operations.tasks.schemas import TaskCompletion, TaskRead, TaskStatus
from shared.auth import require_scope
from shared.concurrency import set_etag
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep
from shared.queries import DatedListParams, dated_list_params

router = APIRouter(prefix="/api/v1", tags=["tasks"])
READ = [require_scope("operations:read")]
WRITE = [require_scope("operations:write")]


TASK_LIST = dated_list_params(["planned_start"], "planned_start", "planned_start")


@router.get("/work-centers/{code}/dispatch-list", dependencies=READ, response_model=Page[TaskRead])
async def dispatch_list(
    code: str,
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[DatedListParams, Depends(TASK_LIST)],
    status: Annotated[
        list[TaskStatus] | None,
        Query(description="Only tasks in these states (default: planned, started, paused)."),
    ] = None,
) -> Page[TaskRead]:
    """The work center's tasks in the order the latest schedule planned them.

    Built from `production.schedule.published`: a newer schedule replaces the tasks not started
    yet of the orders it covers; started and completed ones stay.
    """
    tasks, total = await service.dispatch_list(session, code, page, list(status or []), dated)
    return Page.of([TaskRead.model_validate(t) for t in tasks], total, page)


@router.get("/tasks/{task_id}", dependencies=READ, response_model=TaskRead)
async def get_task(task_id: str, session: ReadSessionDep, response: Response) -> TaskRead:
    """One task, planned and actual."""
    task = await service.get_task(session, task_id)
    set_etag(response, task.version)
    return TaskRead.model_validate(task)


@router.post("/tasks/{task_id}/start", dependencies=WRITE, response_model=TaskRead)
async def start_task(task_id: str, session: SessionDep) -> TaskRead:
    """Start a planned task; 409 in any other state. Publishes `operations.task.started`."""
    return TaskRead.model_validate(await service.start_task(session, task_id))


@router.post("/tasks/{task_id}/pause", dependencies=WRITE, response_model=TaskRead)
async def pause_task(task_id: str, session: SessionDep) -> TaskRead:
    """Pause a started task; the paused time is not worked time. 409 unless started."""
    return TaskRead.model_validate(await service.pause_task(session, task_id))


@router.post("/tasks/{task_id}/resume", dependencies=WRITE, response_model=TaskRead)
async def resume_task(task_id: str, session: SessionDep) -> TaskRead:
    """Resume a paused task; 409 unless paused."""
    return TaskRead.model_validate(await service.resume_task(session, task_id))


@router.post("/tasks/{task_id}/complete", dependencies=WRITE, response_model=TaskRead)
async def complete_task(task_id: str, data: TaskCompletion, session: SessionDep) -> TaskRead:
    """Finish a started or paused task with good and scrap quantities; 409 otherwise.

    Publishes `operations.task.completed` with the worked minutes (pauses excluded), the work
    center's cost per hour and whether it was the order's last operation.
    """
    return TaskRead.model_validate(await service.complete_task(session, task_id, data))
