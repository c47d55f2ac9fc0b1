"""Recording the events that name an order, and reading an order's timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.timeline.models import OrderEvent
from shared.consumer import Received

ORDER_KEYS = ("order_id", "reference")
"""Payload fields that name a production order (inventory names it as the reference)."""


def orders_named(data: dict[str, Any]) -> list[str]:
    """The orders an event's data names: order_id or reference, or its operations' order_id."""
    named = {str(data[key]) for key in ORDER_KEYS if data.get(key)}
    for operation in data.get("operations") or ():
        if isinstance(operation, dict) and operation.get("order_id"):
            named.add(str(operation["order_id"]))
    return sorted(named)


def _data_for(data: dict[str, Any], order_id: str) -> dict[str, Any]:
    operations = data.get("operations")
    if not isinstance(operations, list):
        return data
    mine = [o for o in operations if isinstance(o, dict) and str(o.get("order_id")) == order_id]
    return {**data, "operations": mine}


async def record(
    session: AsyncSession,
    *,
    event_id: str,
    event_type: str,
    source: str,
    subject: str,
    occurred_at: datetime,
    data: dict[str, Any],
) -> int:
    """Keep the event on the timeline of each order it names (once); returns how many."""
    kept = 0
    for order_id in orders_named(data):
        if await session.get(OrderEvent, (event_id, order_id)) is not None:
            continue
        session.add(
            OrderEvent(
                event_id=event_id,
                order_id=order_id,
                event_type=event_type,
                source=source,
                subject=subject,
                occurred_at=occurred_at,
                data=_data_for(data, order_id),
            )
        )
        kept += 1
    await session.flush()
    return kept


async def record_received(session: AsyncSession, event: Received[Any]) -> int:
    """Keep a consumed event on the timelines of the orders it names."""
    envelope = event.envelope
    return await record(
        session,
        event_id=envelope.id,
        event_type=envelope.type,
        source=envelope.source,
        subject=envelope.subject,
        occurred_at=envelope.time,
        data=envelope.data,
    )


async def timeline(session: AsyncSession, order_id: str, limit: int) -> list[OrderEvent]:
    """An order's events, oldest first."""
    rows = await session.execute(
        select(OrderEvent)
        .where(OrderEvent.order_id == order_id)
        .order_by(OrderEvent.occurred_at, OrderEvent.event_id)
        .limit(limit)
    )
    return list(rows.scalars())
