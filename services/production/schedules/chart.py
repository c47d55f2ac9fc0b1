"""What the Gantt chart of a stored schedule shows, gathered from production's own records.

Order numbers from the production orders; working time and downtime from the work centers
production knows from operations' events.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.catalog.models import KnownDowntime, KnownWorkCenter
from services.production.orders.models import ProductionOrder
from services.production.schedules.gantt import Bar, Stoppage, chart_span, gantt_svg
from services.production.schedules.models import StoredSchedule
from shared.calendars import Interval, WorkCalendar, working_intervals


def chart_title(schedule: StoredSchedule) -> str:
    """The heading of a schedule's chart."""
    return (
        f"Schedule v{schedule.version} ({schedule.objective}, {schedule.status}): "
        f"makespan {schedule.makespan_minutes} min, weighted tardiness {schedule.tardiness}"
    )


async def schedule_chart(session: AsyncSession, schedule: StoredSchedule, now: datetime) -> str:
    """The schedule's Gantt chart as an SVG document."""
    order_ids = sorted({op.order_id for op in schedule.operations})
    rows = await session.execute(
        select(ProductionOrder.id, ProductionOrder.number).where(ProductionOrder.id.in_(order_ids))
    )
    numbers = {order_id: number for order_id, number in rows}
    bars = [
        Bar(
            op.work_center,
            op.order_id,
            op.sequence,
            op.start,
            op.end,
            order_number=numbers.get(op.order_id),
            product_sku=op.product_sku,
            quantity=op.quantity,
            due=op.due,
        )
        for op in schedule.operations
    ]
    start, end = chart_span(schedule.origin, bars)
    codes = sorted({bar.work_center for bar in bars})
    working: dict[str, list[Interval]] = {
        center.code: working_intervals(WorkCalendar.from_spec(center.calendar), start, end)
        for center in (
            await session.execute(select(KnownWorkCenter).where(KnownWorkCenter.code.in_(codes)))
        ).scalars()
    }
    stoppages = [
        Stoppage(row.work_center, row.start, row.end, row.reason, row.kind)
        for row in (
            await session.execute(
                select(KnownDowntime)
                .where(
                    KnownDowntime.work_center.in_(codes),
                    KnownDowntime.end > start,
                    KnownDowntime.start < end,
                )
                .order_by(KnownDowntime.start)
            )
        ).scalars()
    ]
    return gantt_svg(
        chart_title(schedule), schedule.origin, bars, working=working, stoppages=stoppages, now=now
    )
