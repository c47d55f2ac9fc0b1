"""Learning from production an order the view has not heard of, when a task of it starts.

Operations hears of an order's materials from production's and inventory's events. A task of
an order released before operations followed those events (an upgrade, a restored database)
would wait for materials `unknown` until the next event of its order; so starting such a task
first asks production, as a reference check asks a record's owner. If production cannot answer,
the start goes on with what the view has: the task waits for its materials, and a supervisor
may override.
"""

from __future__ import annotations

import logging
from datetime import date

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.orders.models import KnownOrder
from services.operations.tasks.models import Task
from services.operations.tasks.service import get_task
from shared.db import utcnow
from shared.dependencies import Transactions
from shared.numbers import DecimalValue
from shared.owner_lookup import OwnedRecords, ReferenceUnverified, learn_missing

log = logging.getLogger(__name__)

# Production's order states, as the view names them.
STATUSES = {"in_progress": "released"}


class OrderAsProductionAnswers(BaseModel):
    """What operations reads of production's `GET /api/v1/orders/{id}`."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    order_id: str = Field(alias="id")
    number: str | None = None
    product_sku: str = ""
    quantity: DecimalValue | None = None
    due_date: date | None = None
    priority: int | None = None
    status: str
    materials_status: str
    reservation_attempts: int = 0


async def keep_order(session: AsyncSession, seen: OrderAsProductionAnswers, _: int) -> None:
    """Store an order production described, unless an event brought it into the view meanwhile
    (the event's state is at least as new)."""
    if await session.get(KnownOrder, seen.order_id) is not None:
        return
    session.add(
        KnownOrder(
            order_id=seen.order_id,
            number=seen.number,
            product_sku=seen.product_sku,
            quantity=seen.quantity,
            due_date=seen.due_date,
            priority=seen.priority,
            status=STATUSES.get(seen.status, seen.status),
            materials_status=seen.materials_status,
            reservation_attempt=seen.reservation_attempts,
            updated_at=utcnow(),
        )
    )
    await session.flush()


ORDERS = OwnedRecords(
    noun="production order",
    owner="production",
    path="/api/v1/orders/{key}",
    scopes="production:read",
    key=KnownOrder.order_id,
    seen=OrderAsProductionAnswers,
    keep=keep_order,
)


async def learn_order_of_task(tx: Transactions, reference: str) -> None:
    """Bring the task's order into the view from production if the view has not heard of it; a
    production that cannot answer leaves the view as it is (logged)."""
    async with tx.read() as session:
        task: Task = await get_task(session, reference)
        order_id = task.order_id
    try:
        await learn_missing(tx, ORDERS, [order_id])
    except ReferenceUnverified as exc:
        log.warning("order %s of task %s stays unknown: %s", order_id, reference, exc.detail)
