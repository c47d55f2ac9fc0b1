"""Events from the other services that production applies."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.production.catalog.models import KnownItem
from services.production.catalog.service import (
    DowntimeSeen,
    WorkCenterSeen,
    keep_downtime,
    keep_work_center,
)
from shared.consumer import EventHandlers, Received
from shared.item_view import subscribe_item_view

handlers = EventHandlers()
subscribe_item_view(handlers, KnownItem)


@handlers.on("operations.work_center.created", WorkCenterSeen)
@handlers.on("operations.work_center.updated", WorkCenterSeen)
async def on_work_center_changed(session: AsyncSession, event: Received[WorkCenterSeen]) -> None:
    """Keep the work center view (capacity, cost, calendar) current."""
    await keep_work_center(session, event.data, event.sequence)


@handlers.on("operations.downtime.recorded", DowntimeSeen)
async def on_downtime_recorded(session: AsyncSession, event: Received[DowntimeSeen]) -> None:
    """Remember the downtime so schedules avoid it."""
    await keep_downtime(session, event.data, event.sequence)
