"""Where the orders to schedule come from: released production orders and their routings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.catalog.models import KnownItem, KnownStock
from services.production.domain.scheduling.plan import (
    MaterialHold,
    OrderToPlan,
    RoutingStep,
    run_minutes,
)
from services.production.domain.scheduling.progress import StartedStep
from services.production.mrp.models import PurchaseLineView
from services.production.orders.models import ProductionOrder
from services.production.orders.service import tasks_of
from services.production.routings.service import effective_routing
from shared.db import utcnow
from shared.errors import InvalidInput

OrderSource = Callable[[AsyncSession, list[str] | None], Awaitable[list[OrderToPlan]]]
SCHEDULABLE = ("released", "in_progress")


def end_of_day(day: date) -> datetime:
    """A due date is met by the end of that day (UTC)."""
    return datetime.combine(day, time(0), UTC) + timedelta(days=1)


async def released_orders(session: AsyncSession, order_ids: list[str] | None) -> list[OrderToPlan]:
    """Released and started orders (all, or those named) with their product's routing.

    An order in progress keeps only the operations operations has not reported complete.
    Priority (1 to 10) is the order's weight in tardiness; the due date ends at midnight UTC.
    """
    query = select(ProductionOrder).where(ProductionOrder.status.in_(SCHEDULABLE))
    if order_ids is not None:
        query = query.where(ProductionOrder.id.in_(order_ids))
    orders = list((await session.execute(query.order_by(ProductionOrder.id))).scalars())
    done = {
        order_id: {task.sequence for task in tasks if task.completed_at is not None}
        for order_id, tasks in (await tasks_of(session, [o.id for o in orders])).items()
    }
    planned = []
    without_routing = []
    now = utcnow()
    made_by: dict[str, list[str]] = {}
    for order in orders:
        made_by.setdefault(order.product_sku, []).append(order.id)
    for order in orders:
        routing = await effective_routing(session, order.product_sku)
        if routing is None:
            without_routing.append(order.id)
            continue
        steps = tuple(
            RoutingStep(
                op.sequence,
                op.work_center,
                run_minutes(op.setup_minutes, Decimal(1)),
                run_minutes(op.run_minutes_per_unit, order.quantity),
            )
            for op in routing.operations
            if op.sequence not in done.get(order.id, set())
        )
        if steps:
            after = await sub_assembly_orders(session, order, made_by)
            waited = {sku for sku, producers in made_by.items() if set(producers) & set(after)}
            materials = tuple(
                m for m in await awaited_materials(session, order, now) if m.sku not in waited
            )
            planned.append(
                OrderToPlan(
                    order.id,
                    order.product_sku,
                    order.quantity,
                    steps,
                    release=max((m.expected for m in materials), default=None),
                    due=end_of_day(order.due_date),
                    weight=order.priority,
                    materials=materials,
                    after=after,
                )
            )
    if without_routing:
        raise InvalidInput(
            "Orders whose product has no effective routing", order_ids=without_routing
        )
    return planned


async def sub_assembly_orders(
    session: AsyncSession, order: ProductionOrder, made_by: dict[str, list[str]]
) -> tuple[str, ...]:
    """The other orders being scheduled that make a component this order is short of (or whose
    stock does not cover it): the order must wait for them."""
    if order.materials_status == "reserved":
        return ()
    short = {str(s.get("sku")) for s in order.shortages}
    found: list[str] = []
    for line in order.components:
        sku = str(line["sku"])
        producers = [p for p in made_by.get(sku, []) if p != order.id]
        if not producers:
            continue
        if sku not in short:
            stock = await session.get(KnownStock, sku)
            if stock is not None and stock.available >= Decimal(str(line["quantity"])):
                continue
        found.extend(producers)
    return tuple(sorted(set(found)))


async def awaited_materials(
    session: AsyncSession, order: ProductionOrder, now: datetime
) -> tuple[MaterialHold, ...]:
    """The components a short order waits for, each with its expected receipt: the open purchase
    orders' expected dates as far as they cover the shortage, else the item's lead time from now.
    (Inventory reserves them when they arrive: the order cannot start before.)"""
    if order.status not in SCHEDULABLE or order.materials_status != "short":
        return ()
    holds = []
    for shortage in order.shortages:
        sku = str(shortage.get("sku"))
        missing = Decimal(str(shortage.get("requested", 0))) - Decimal(
            str(shortage.get("available", 0))
        )
        if missing <= 0:
            continue
        holds.append(await _expected_receipt(session, sku, missing, now))
    return tuple(holds)


async def _expected_receipt(
    session: AsyncSession, sku: str, missing: Decimal, now: datetime
) -> MaterialHold:
    lines = await session.execute(
        select(PurchaseLineView)
        .where(
            PurchaseLineView.sku == sku,
            PurchaseLineView.closed.is_(False),
            PurchaseLineView.ordered > PurchaseLineView.received,
        )
        .order_by(PurchaseLineView.expected_date, PurchaseLineView.purchase_order_id)
    )
    coming = Decimal(0)
    for line in lines.scalars():
        coming += line.ordered - line.received
        if coming >= missing:
            day = line.expected_date or now.date()
            expected = max(datetime.combine(day, time(0), UTC), now)
            return MaterialHold(sku, expected, line.number or line.purchase_order_id)
    item = await session.get(KnownItem, sku)
    lead_time = item.lead_time_days if item is not None else 0
    return MaterialHold(sku, now + timedelta(days=lead_time), "lead time")


def order_source() -> OrderSource:
    """The order source of the schedule routes (a FastAPI dependency, replaceable)."""
    return released_orders


async def started_steps(session: AsyncSession, orders: list[OrderToPlan]) -> list[StartedStep]:
    """The operations of these orders the shop floor started and has not completed."""
    steps = {(order.order_id, step.sequence): step for order in orders for step in order.steps}
    tasks = await tasks_of(session, [order.order_id for order in orders])
    return [
        StartedStep(task.order_id, steps[(task.order_id, task.sequence)], task.started_at)
        for order_tasks in tasks.values()
        for task in order_tasks
        if task.started_at is not None
        and task.completed_at is None
        and (task.order_id, task.sequence) in steps
    ]
