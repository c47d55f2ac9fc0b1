"""Gathering what the shop floor's rules need from the database: a task's order, the operation
before it, the overlap its routing allows, and what reached it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.domain.shop_floor import Operation, Wait, reached, report_limit, waits
from services.operations.orders.models import KnownOrder
from services.operations.orders.service import orders_by_id
from services.operations.routings.models import RoutingStepView
from services.operations.tasks.models import Task
from services.operations.tasks.schemas import WaitRead
from services.operations.work_centers.models import WorkCenter

LIVE = ("planned", "started", "paused", "completed")
"""Tasks that are an order's operations now (not replaced, not cancelled)."""


def as_operation(task: Task) -> Operation:
    """The rules' view of a task."""
    return Operation(
        task.sequence, task.work_center, task.status, task.quantity, task.reported_good
    )


@dataclass(frozen=True)
class OrderFacts:
    """Everything the rules need about the orders of some tasks."""

    operations: dict[str, list[Task]]
    orders: dict[str, KnownOrder]
    overlaps: dict[tuple[str, int], Decimal | None]

    def previous(self, task: Task) -> Task | None:
        """The live operation of the same order just before this one."""
        before = [t for t in self.operations.get(task.order_id, []) if t.sequence < task.sequence]
        return max(before, key=lambda t: t.sequence, default=None)

    def following(self, task: Task) -> Task | None:
        """The live operation of the same order just after this one."""
        after = [t for t in self.operations.get(task.order_id, []) if t.sequence > task.sequence]
        return min(after, key=lambda t: t.sequence, default=None)

    def waits(self, task: Task) -> list[Wait]:
        """What the task still waits for."""
        previous = self.previous(task)
        order = self.orders.get(task.order_id)
        return waits(
            as_operation(previous) if previous is not None else None,
            self.overlaps.get((task.product_sku, task.sequence)),
            order.materials_status if order is not None else None,
        )

    def reached(self, task: Task) -> Decimal:
        """What reached the task's operation."""
        previous = self.previous(task)
        return reached(as_operation(previous) if previous is not None else None, task.quantity)


async def order_facts(session: AsyncSession, tasks: Iterable[Task]) -> OrderFacts:
    """The live operations, order views and routing overlaps of the orders of these tasks."""
    tasks = list(tasks)
    order_ids = {t.order_id for t in tasks}
    operations: dict[str, list[Task]] = defaultdict(list)
    if order_ids:
        rows = await session.execute(
            select(Task).where(Task.order_id.in_(order_ids), Task.status.in_(LIVE))
        )
        for sibling in rows.scalars():
            operations[sibling.order_id].append(sibling)
    skus = {t.product_sku for t in tasks}
    overlaps: dict[tuple[str, int], Decimal | None] = {}
    if skus:
        steps = await session.execute(
            select(RoutingStepView).where(RoutingStepView.product_sku.in_(skus))
        )
        overlaps = {(s.product_sku, s.sequence): s.overlap_quantity for s in steps.scalars()}
    return OrderFacts(dict(operations), await orders_by_id(session, order_ids), overlaps)


def wait_reads(found: list[Wait]) -> list[WaitRead]:
    """The waits as the API shows them."""
    return [
        WaitRead(
            kind=w.kind,  # type: ignore[arg-type]
            sequence=w.sequence,
            work_center=w.work_center,
            reported=w.reported,
            needed=w.needed,
            materials_status=w.materials_status,
        )
        for w in found
    ]


async def limit_of(session: AsyncSession, facts: OrderFacts, task: Task) -> tuple[Decimal, Decimal]:
    """What reached the task's operation, and the most it may report (with the tolerance)."""
    center = await session.get(WorkCenter, task.work_center)
    tolerance = center.report_tolerance_percent if center is not None else Decimal(0)
    arrived = facts.reached(task)
    return arrived, report_limit(arrived, tolerance)
