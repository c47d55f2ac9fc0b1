"""Use cases of downtime and maintenance plans."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.database import outbox
from services.operations.downtime.models import Downtime, MaintenancePlan
from services.operations.downtime.schemas import DowntimeCreate, MaintenancePlanCreate
from services.operations.events import DowntimeRecorded
from services.operations.losses.service import require_active_reason
from services.operations.work_centers.service import get_work_center
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import InvalidInput, NotFound
from shared.queries import DatedListParams, fetch_page, get_one

MAX_OCCURRENCES_PER_GENERATION = 1000


async def _record(
    session: AsyncSession,
    work_center: str,
    start: datetime,
    end: datetime,
    kind: str,
    reason: str,
    plan_id: str | None = None,
    loss_reason: str | None = None,
) -> Downtime:
    downtime = Downtime(
        id=new_id(),
        work_center=work_center,
        start=start,
        end=end,
        kind=kind,
        reason=reason,
        loss_reason=loss_reason,
        maintenance_plan_id=plan_id,
        recorded_at=utcnow(),
    )
    session.add(downtime)
    await session.flush()
    event = DowntimeRecorded(
        downtime_id=downtime.id,
        work_center=work_center,
        start=start,
        end=end,
        kind=kind,  # type: ignore[arg-type]
        reason=reason,
    )
    await outbox.record(session, event, downtime.id)
    return downtime


async def record_downtime(session: AsyncSession, code: str, data: DowntimeCreate) -> Downtime:
    """Record a downtime of a work center and announce it; 422 for a loss reason not in use."""
    await get_work_center(session, code)
    if data.loss_reason is not None:
        await require_active_reason(session, data.loss_reason)
    return await _record(
        session, code, data.start, data.end, data.kind, data.reason, loss_reason=data.loss_reason
    )


LIST_DOWNTIMES_DEFAULT = DatedListParams("start")


async def list_downtimes(
    session: AsyncSession,
    code: str,
    page: PageParams,
    start: datetime | None = None,
    end: datetime | None = None,
    dated: DatedListParams = LIST_DOWNTIMES_DEFAULT,
) -> tuple[list[Downtime], int]:
    """A work center's downtimes overlapping a window, by start (or as sorted), one page."""
    await get_work_center(session, code)
    query = dated.within(select(Downtime), Downtime.recorded_at).where(Downtime.work_center == code)
    if start is not None:
        query = query.where(Downtime.end > start)
    if end is not None:
        query = query.where(Downtime.start < end)
    order = dated.order_by({"start": Downtime.start, "recorded_at": Downtime.recorded_at})
    return await fetch_page(session, query, page, *order, Downtime.id)


async def downtime_between(
    session: AsyncSession, code: str, start: datetime, end: datetime
) -> list[Downtime]:
    """Every downtime of a work center overlapping a window."""
    rows = await session.execute(
        select(Downtime)
        .where(Downtime.work_center == code, Downtime.end > start, Downtime.start < end)
        .order_by(Downtime.start)
    )
    return list(rows.scalars())


async def create_plan(session: AsyncSession, data: MaintenancePlanCreate) -> MaintenancePlan:
    """Add a maintenance plan; its occurrences become downtime when generated."""
    try:
        await get_work_center(session, data.work_center)
    except NotFound as exc:
        raise InvalidInput(exc.detail, work_center=data.work_center) from exc
    plan = MaintenancePlan(id=new_id(), **data.model_dump(), generated=0, created_at=utcnow())
    session.add(plan)
    await session.flush()
    return plan


async def get_plan(
    session: AsyncSession, plan_id: str, *, for_update: bool = False
) -> MaintenancePlan:
    """A maintenance plan by id, or NotFound."""
    return await get_one(
        session,
        MaintenancePlan,
        plan_id,
        f"No maintenance plan '{plan_id}'.",
        maintenance_plan_id=plan_id,
        for_update=for_update,
    )


async def list_plans(
    session: AsyncSession, page: PageParams, work_center: str | None = None
) -> tuple[list[MaintenancePlan], int]:
    """Maintenance plans, optionally of one work center, one page."""
    query = select(MaintenancePlan)
    if work_center:
        query = query.where(MaintenancePlan.work_center == work_center)
    return await fetch_page(session, query, page, MaintenancePlan.created_at, MaintenancePlan.id)


async def generate(session: AsyncSession, plan_id: str, until: datetime) -> list[Downtime]:
    """Record as planned downtime each occurrence starting before `until` not recorded yet.

    Generating again over the same horizon adds nothing; a later horizon adds the rest.
    """
    plan = await get_plan(session, plan_id, for_update=True)
    created: list[Downtime] = []
    while True:
        start = plan.start + timedelta(days=plan.every_days * plan.generated)
        if start >= until:
            break
        if len(created) >= MAX_OCCURRENCES_PER_GENERATION:
            raise InvalidInput(
                f"More than {MAX_OCCURRENCES_PER_GENERATION} occurrences; choose a nearer horizon.",
                until=until.isoformat(),
            )
        end = start + timedelta(minutes=plan.duration_minutes)
        created.append(
            await _record(session, plan.work_center, start, end, "planned", plan.reason, plan.id)
        )
        plan.generated += 1
    await session.flush()
    return created
