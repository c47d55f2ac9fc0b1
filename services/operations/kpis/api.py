"""HTTP routes of the KPIs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from services.operations.domain.kpis import window_or_last_week
from services.operations.kpis import service
from services.operations.kpis.schemas import DepartmentKpis, OeeRead, WorkCenterKpis
from shared.auth import require_scope
from shared.dependencies import ReadSessionDep
from shared.timestamps import PlantDateTime

router = APIRouter(prefix="/api/v1/kpis", tags=["kpis"])
READ = [require_scope("operations:read")]

Start = Annotated[
    PlantDateTime | None,
    Query(
        description="Window start (inclusive; a date is the start of that day); default: a week "
        "before the end.",
        examples=["2026-12-01"],
    ),
]
End = Annotated[
    PlantDateTime | None,
    Query(
        description="Window end (exclusive), at most a year after the start; default: now.",
        examples=["2026-12-08T00:00:00Z"],
    ),
]
Tolerance = Annotated[
    int,
    Query(
        ge=0,
        le=24 * 60,
        description="How far from its planned start a task may start and still adhere.",
    ),
]


def _window(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    return window_or_last_week(start, end, datetime.now(UTC))


@router.get("/oee", dependencies=READ, response_model=OeeRead)
async def oee(
    work_center: Annotated[str, Query(max_length=64)],
    session: ReadSessionDep,
    start: Start = None,
    end: End = None,
) -> OeeRead:
    """Overall equipment effectiveness of a work center over a window.

    - planned_minutes: the calendar's working minutes in the window, times the capacity;
    - downtime_minutes: recorded downtime inside that planned time;
    - run_minutes = planned - downtime; availability = run / planned;
    - ideal_minutes: for each task completed in the window, the scheduled run minutes per unit
      times the units made; performance = ideal / run;
    - quality = good / total (good + scrap) of those tasks; oee = availability x performance x quality.

    Without `start` and `end` the window is the last 7 days. A ratio whose denominator is zero
    is 0. 422 unless end is after start (a year at most).
    """
    return await service.work_center_oee(session, work_center, *_window(start, end))


@router.get("/work-centers/{code}", dependencies=READ, response_model=WorkCenterKpis)
async def work_center_kpis(
    code: str,
    session: ReadSessionDep,
    start: Start = None,
    end: End = None,
    tolerance_minutes: Tolerance = 30,
) -> WorkCenterKpis:
    """A work center's KPIs over a window.

    - utilisation = minutes worked (pauses excluded) on tasks completed in the window / available
      minutes (planned time less downtime);
    - throughput: tasks completed and good units in the window, and good units per hour of window;
    - wip: tasks started or paused now, and their units;
    - schedule_adherence: share of completed tasks that started within `tolerance_minutes` of plan;
    - on_time_completion: share of completed tasks finished by their planned end;
    - oee: as `GET /api/v1/kpis/oee`.
    """
    return await service.work_center_kpis(
        session, code, *_window(start, end), timedelta(minutes=tolerance_minutes)
    )


@router.get("/departments/{code}", dependencies=READ, response_model=DepartmentKpis)
async def department_kpis(
    code: str,
    session: ReadSessionDep,
    start: Start = None,
    end: End = None,
    tolerance_minutes: Tolerance = 30,
) -> DepartmentKpis:
    """A department's KPIs: its work centers' minutes, units and task counts added up, and every
    ratio computed again from the sums (so a large center weighs more than a small one)."""
    return await service.department_kpis(
        session, code, *_window(start, end), timedelta(minutes=tolerance_minutes)
    )
