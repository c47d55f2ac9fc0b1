"""Events from the other services that operations applies."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.tasks.schemas import SchedulePublished
from services.operations.tasks.service import apply_schedule
from shared.consumer import EventHandlers, Received

handlers = EventHandlers()


@handlers.on("production.schedule.published", SchedulePublished)
async def on_schedule_published(session: AsyncSession, event: Received[SchedulePublished]) -> None:
    """Rebuild the dispatch lists of the orders the schedule covers."""
    await apply_schedule(session, event.data, event.envelope.time)
