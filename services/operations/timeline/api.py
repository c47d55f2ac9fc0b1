"""HTTP route of order timelines."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.operations.orders.service import order_id_of
from services.operations.timeline import service
from services.operations.timeline.schemas import Timeline, TimelineEntry
from shared.auth import require_scope
from shared.dependencies import ReadSessionDep

router = APIRouter(prefix="/api/v1/orders", tags=["timeline"])
READ = [require_scope("operations:read")]


@router.get("/{order_id}/timeline", dependencies=READ, response_model=Timeline)
async def order_timeline(
    order_id: str,
    session: ReadSessionDep,
    limit: Annotated[int, Query(ge=1, le=5000, description="How many events at most.")] = 1000,
) -> Timeline:
    """Every event that names the order, oldest first: production's order, schedule and inspection
    events, inventory's reservations and movements (by reference), and operations' own task
    events. The order may be named by its number (`MO-...`). An order nobody mentioned has an
    empty timeline."""
    order_id = await order_id_of(session, order_id)
    events = await service.timeline(session, order_id, limit)
    return Timeline(order_id=order_id, events=[TimelineEntry.model_validate(e) for e in events])
