"""Use cases of promises: gather stock, open supply, BOMs, routings and the current schedule's
load, and let the domain find the earliest date."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.boms.service import bom_history, refuse_unknown_skus
from services.production.catalog.models import KnownItem, KnownStock, KnownWorkCenter
from services.production.domain.costing import RoutingStep
from services.production.domain.promising import (
    OpenSupply,
    Promise,
    PromiseInput,
    PromiseItem,
    WorkCenterTime,
    promise,
)
from services.production.mrp.models import PurchaseLineView
from services.production.mrp.service import bom_edges
from services.production.orders.models import ProductionOrder
from services.production.planning.service import all_parameters, plan_item
from services.production.promises.schemas import PromiseRequest
from services.production.routings.service import effective_routing
from services.production.schedules.models import StoredSchedule
from shared.calendars import WorkCalendar
from shared.db import utcnow
from shared.errors import InvalidInput

OPEN_SUPPLY_STATUSES = ("released", "in_progress")


async def _open_supply(session: AsyncSession, now: datetime) -> list[OpenSupply]:
    supply = []
    purchases = await session.execute(
        select(PurchaseLineView).where(
            PurchaseLineView.closed.is_(False),
            PurchaseLineView.ordered > PurchaseLineView.received,
        )
    )
    for line in purchases.scalars():
        supply.append(
            OpenSupply(
                line.sku,
                line.expected_date or now.date(),
                line.ordered - line.received,
                line.number or line.purchase_order_id,
            )
        )
    orders = await session.execute(
        select(ProductionOrder).where(ProductionOrder.status.in_(OPEN_SUPPLY_STATUSES))
    )
    for order in orders.scalars():
        if order.quantity > order.good_quantity:
            supply.append(
                OpenSupply(
                    order.product_sku,
                    max(order.due_date, now.date()),
                    order.quantity - order.good_quantity,
                    order.number,
                )
            )
    return supply


async def _work_centers(session: AsyncSession, now: datetime) -> dict[str, WorkCenterTime]:
    """Each known work center, free from the end of what the current schedule puts on it."""
    latest = (
        await session.execute(
            select(StoredSchedule).order_by(StoredSchedule.version.desc()).limit(1)
        )
    ).scalar_one_or_none()
    busy_until: dict[str, datetime] = defaultdict(lambda: now)
    if latest is not None:
        for op in latest.operations:
            busy_until[op.work_center] = max(busy_until[op.work_center], op.end)
    rows = (await session.execute(select(KnownWorkCenter))).scalars()
    return {
        row.code: WorkCenterTime(
            row.code, WorkCalendar.from_spec(row.calendar), max(busy_until[row.code], now)
        )
        for row in rows
    }


async def promise_input(session: AsyncSession, now: datetime) -> PromiseInput:
    """What production knows now, as a promise's input."""
    history = await bom_history(session)
    structure = history.structure_on(now.date())
    by_parent: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for edge in bom_edges(structure):
        by_parent[edge.parent].append((edge.component, edge.quantity))
    parameters = await all_parameters(session)
    items = {}
    for row in (await session.execute(select(KnownItem))).scalars():
        planned = plan_item(row, row.sku in structure, parameters.get(row.sku))
        items[row.sku] = PromiseItem(row.sku, planned.kind, planned.lead_time_days)
    routings = {}
    for sku in structure:
        routing = await effective_routing(session, sku, now.date())
        if routing is not None:
            routings[sku] = tuple(
                RoutingStep(op.work_center, op.setup_minutes, op.run_minutes_per_unit)
                for op in sorted(routing.operations, key=lambda op: op.sequence)
            )
    stock = (await session.execute(select(KnownStock))).scalars()
    return PromiseInput(
        now=now,
        items=items,
        components={parent: tuple(lines) for parent, lines in by_parent.items()},
        available={row.sku: row.available for row in stock},
        supply=tuple(await _open_supply(session, now)),
        routings=routings,
        work_centers=await _work_centers(session, now),
    )


async def make_promise(session: AsyncSession, data: PromiseRequest) -> Promise:
    """The earliest date the quantity of the sku can be delivered; 422 for an unknown sku."""
    await refuse_unknown_skus(session, [data.sku])
    data_in = await promise_input(session, utcnow())
    try:
        return promise(data_in, data.sku, data.quantity)
    except (ValueError, OverflowError) as beyond:
        # Calendars are searched ten years ahead, dates end in 9999: nothing to promise then.
        raise InvalidInput(
            f"{data.quantity} of {data.sku} cannot be made within the planning horizon: {beyond}",
            sku=data.sku,
        ) from beyond
