"""Late production orders: announce, once per order, those that will miss their due date."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import date, datetime

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.database import outbox
from services.production.events import OrderLate
from services.production.orders.models import ProductionOrder
from services.production.settings import ProductionSettings
from shared.cancellation import end_if_cancelled
from shared.db import Database, utcnow

log = logging.getLogger(__name__)

OPEN = ("planned", "released", "in_progress")


async def announce_late(
    session: AsyncSession,
    order: ProductionOrder,
    expected_completion: datetime | None = None,
) -> bool:
    """Publish `production.order.late` for an open order not announced yet; True if it went."""
    if order.late_notified_at is not None or order.status not in OPEN:
        return False
    order.late_notified_at = utcnow()
    await session.flush()
    await outbox.record(
        session,
        OrderLate(
            order_id=order.id,
            product_sku=order.product_sku,
            due_date=order.due_date,
            expected_completion=expected_completion,
            reason="overdue" if expected_completion is None else "scheduled_late",
        ),
        order.id,
    )
    return True


async def announce_overdue_orders(session: AsyncSession, today: date) -> int:
    """Announce the open orders whose due date is before `today`; how many were announced."""
    rows = await session.execute(
        select(ProductionOrder)
        .where(
            ProductionOrder.status.in_(OPEN),
            ProductionOrder.due_date < today,
            ProductionOrder.late_notified_at.is_(None),
        )
        .order_by(ProductionOrder.due_date, ProductionOrder.id)
        # Another worker checking at once skips what this one holds, instead of waiting on it.
        .with_for_update(skip_locked=True)
    )
    announced = 0
    for order in rows.scalars():
        announced += await announce_late(session, order)
    return announced


async def announce_late_in_schedule(
    session: AsyncSession, planned: Iterable[tuple[str, datetime, datetime | None]]
) -> int:
    """Announce the orders a schedule finishes after their due: (order id, last end, due)."""
    announced = 0
    for order_id, end, due in sorted(planned):
        if due is None or end <= due:
            continue
        order = await session.get(ProductionOrder, order_id, with_for_update=True)
        if order is not None:
            announced += await announce_late(session, order, expected_completion=end)
    return announced


async def check_overdue_orders(database: Database) -> int:
    """One check for overdue orders, in its own transaction."""
    async with database.transaction() as session:
        return await announce_overdue_orders(session, utcnow().date())


async def watch_for_late_orders(app: FastAPI) -> None:
    """Background job: check for overdue open orders now, then every few seconds (settings)."""
    interval = ProductionSettings().late_order_check_seconds
    database: Database = app.state.database
    while True:
        end_if_cancelled()
        try:
            announced = await check_overdue_orders(database)
            if announced:
                log.info("announced %d overdue production order(s)", announced)
        except asyncio.CancelledError:
            raise
        except Exception:  # the next check tries again; the job must outlive a bad moment
            log.exception("checking for overdue production orders failed")
        await asyncio.sleep(interval)
