"""Use cases of production orders: plan, release, start, complete, cancel, and what the other
services report back (reservations, task progress)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.boms.service import (
    effective_bom,
    effective_structure,
    today,
    unknown_skus,
)
from services.production.catalog.models import KnownItem, KnownWorkCenter
from services.production.costing.service import conversion_cost
from services.production.database import outbox
from services.production.domain import orders as lifecycle
from services.production.domain.bom import direct_components
from services.production.events import (
    ComponentQuantity,
    OrderCancelled,
    OrderCompleted,
    OrderCreated,
    OrderReleased,
    OrderStarted,
)
from services.production.orders.models import ProductionOrder, TaskActual
from services.production.orders.schemas import CompleteRequest, OrderCreate
from services.production.quality.service import require_passed_inspection
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from shared.queries import DatedListParams, fetch_page, get_one, unknown_code_problem


async def create_order(session: AsyncSession, data: OrderCreate) -> ProductionOrder:
    """Plan an order for a known product, and announce it."""
    if await unknown_skus(session, [data.product_sku]):
        raise await unknown_code_problem(
            session,
            KnownItem.sku,
            data.product_sku,
            "sku",
            InvalidInput,
            unknown_skus=[data.product_sku],
        )
    now = utcnow()
    order_id = new_id()
    order = ProductionOrder(
        id=order_id,
        number=f"MO-{order_id[:8].upper()}",
        product_sku=data.product_sku,
        quantity=data.quantity,
        due_date=data.due_date,
        priority=data.priority,
        warehouse=data.warehouse,
        status="planned",
        materials_status="none",
        shortages=[],
        components=[],
        good_quantity=Decimal(0),
        scrap_quantity=Decimal(0),
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(order)
    await session.flush()
    await outbox.record(
        session,
        OrderCreated(
            order_id=order.id,
            number=order.number,
            product_sku=order.product_sku,
            quantity=order.quantity,
            due_date=order.due_date,
            status=order.status,
            priority=order.priority,
            warehouse=order.warehouse,
        ),
        order.id,
    )
    return order


async def get_order(
    session: AsyncSession, order_id: str, *, for_update: bool = False
) -> ProductionOrder:
    """An order by id, or NotFound."""
    return await get_one(
        session,
        ProductionOrder,
        order_id,
        f"No production order '{order_id}'.",
        order_id=order_id,
        for_update=for_update,
    )


LIST_ORDERS_DEFAULT = DatedListParams("due_date")


async def list_orders(
    session: AsyncSession,
    page: PageParams,
    status: str | None = None,
    product_sku: str | None = None,
    dated: DatedListParams = LIST_ORDERS_DEFAULT,
) -> tuple[list[ProductionOrder], int]:
    """Orders matching the filters, by due date (or as sorted) then creation, one page, and how
    many match."""
    query = dated.within(select(ProductionOrder), ProductionOrder.created_at)
    if status:
        query = query.where(ProductionOrder.status == status)
    if product_sku:
        query = query.where(ProductionOrder.product_sku == product_sku)
    return await fetch_page(
        session,
        query,
        page,
        *dated.order_by(
            {"due_date": ProductionOrder.due_date, "created_at": ProductionOrder.created_at}
        ),
        ProductionOrder.created_at,
        ProductionOrder.id,
    )


async def tasks_of(session: AsyncSession, order_ids: Sequence[str]) -> dict[str, list[TaskActual]]:
    """The task actuals of some orders, by order, in operation sequence."""
    found: dict[str, list[TaskActual]] = {order_id: [] for order_id in order_ids}
    if not order_ids:
        return found
    rows = await session.execute(
        select(TaskActual)
        .where(TaskActual.order_id.in_(order_ids))
        .order_by(TaskActual.sequence, TaskActual.task_id)
    )
    for task in rows.scalars():
        found[task.order_id].append(task)
    return found


def _ensure(order: ProductionOrder, action: str) -> None:
    if not lifecycle.can(action, order.status):
        raise IllegalTransition(
            f"Order {order.number} is {order.status}; it cannot {action}.",
            order_id=order.id,
            current_status=order.status,
        )


def _move(order: ProductionOrder, action: str) -> None:
    _ensure(order, action)
    order.status = lifecycle.RESULT[action]
    order.version += 1
    order.updated_at = utcnow()


async def release_order(session: AsyncSession, order_id: str) -> ProductionOrder:
    """Release a planned order: explode the BOM effective on its due date and ask for its
    components (an order already past its due date is made now, with today's BOM)."""
    order = await get_order(session, order_id, for_update=True)
    _ensure(order, "release")
    on = max(order.due_date, today())
    try:
        bom = await effective_bom(session, order.product_sku, on)
    except NotFound as missing:
        raise Conflict(
            f"{missing.detail} Publish a BOM before releasing the order.",
            product_sku=order.product_sku,
        ) from missing
    structure = await effective_structure(session, on)
    components = direct_components(order.product_sku, order.quantity, structure)
    _move(order, "release")
    order.bom_id, order.bom_version = bom.id, bom.version
    order.components = [{"sku": sku, "quantity": str(qty)} for sku, qty in components]
    order.released_at = order.updated_at
    await _request_materials(session, order)
    return order


async def _request_materials(session: AsyncSession, order: ProductionOrder) -> None:
    # Inventory reserves on the release event, once per order: announcing it again after a
    # rejection is how a short order asks again.
    order.materials_status = "pending"
    order.shortages = []
    order.reservation_attempts += 1
    await session.flush()
    await outbox.record(
        session,
        OrderReleased(
            order_id=order.id,
            product_sku=order.product_sku,
            quantity=order.quantity,
            due_date=order.due_date,
            priority=order.priority,
            warehouse=order.warehouse,
            bom_id=order.bom_id or "",
            bom_version=order.bom_version or 0,
            components=[ComponentQuantity(sku=s, quantity=q) for s, q in _components(order)],
            reservation_attempt=order.reservation_attempts,
        ),
        order.id,
    )


async def reserve_again(session: AsyncSession, order_id: str) -> ProductionOrder:
    """Ask inventory again for the components of a released or started order that was short."""
    order = await get_order(session, order_id, for_update=True)
    if order.status not in ("released", "in_progress") or order.materials_status != "short":
        raise IllegalTransition(
            f"Order {order.number} is {order.status} with materials {order.materials_status}; "
            "only a released or started order that is short asks for its components again.",
            order_id=order.id,
            current_status=order.status,
            materials_status=order.materials_status,
        )
    _touch(order)
    await _request_materials(session, order)
    return order


async def start_order(
    session: AsyncSession, order_id: str, started_at: datetime | None = None
) -> ProductionOrder:
    """Mark a released order as in progress, and announce it."""
    order = await get_order(session, order_id, for_update=True)
    _move(order, "start")
    order.started_at = started_at or order.updated_at
    await session.flush()
    await outbox.record(
        session,
        OrderStarted(
            order_id=order.id,
            product_sku=order.product_sku,
            quantity=order.quantity,
            started_at=order.started_at,
        ),
        order.id,
    )
    return order


def _components(order: ProductionOrder) -> list[tuple[str, Decimal]]:
    return [(c["sku"], Decimal(c["quantity"])) for c in order.components]


async def actual_unit_cost(
    session: AsyncSession, order: ProductionOrder, good_quantity: Decimal
) -> Decimal:
    """Components at standard cost plus reported labour, per good unit."""
    components = _components(order)
    skus = [sku for sku, _ in components]
    rows = await session.execute(
        select(KnownItem.sku, KnownItem.standard_cost).where(KnownItem.sku.in_(skus))
    )
    costs = {sku: cost for sku, cost in rows}
    tasks = (await tasks_of(session, [order.id]))[order.id]
    labour = [
        (t.worked_minutes, t.cost_per_hour)
        for t in tasks
        if t.worked_minutes is not None and t.cost_per_hour is not None
    ]
    return lifecycle.unit_cost(components, costs, labour, good_quantity)


async def complete_order(
    session: AsyncSession, order_id: str, data: CompleteRequest
) -> ProductionOrder:
    """Record what a released or started order produced, and announce it so inventory issues the
    components and receives the good output."""
    order = await get_order(session, order_id, for_update=True)
    _ensure(order, "complete")
    await require_passed_inspection(session, order)
    _move(order, "complete")
    order.good_quantity = data.good_quantity
    order.scrap_quantity = data.scrap_quantity
    order.lot = data.lot
    order.completed_at = order.updated_at
    order.unit_cost = await actual_unit_cost(session, order, data.good_quantity)
    conversion = conversion_cost((await tasks_of(session, [order.id]))[order.id])
    await session.flush()
    await outbox.record(
        session,
        OrderCompleted(
            order_id=order.id,
            product_sku=order.product_sku,
            good_quantity=order.good_quantity,
            scrap_quantity=order.scrap_quantity,
            lot=order.lot,
            warehouse=order.warehouse,
            reservation_id=order.reservation_id,
            components=[ComponentQuantity(sku=s, quantity=q) for s, q in _components(order)],
            unit_cost=order.unit_cost,
            conversion_cost=conversion,
        ),
        order.id,
    )
    return order


async def cancel_order(
    session: AsyncSession, order_id: str, reason: str | None = None
) -> ProductionOrder:
    """Cancel an order not yet completed; its reserved components are to be released."""
    order = await get_order(session, order_id, for_update=True)
    _move(order, "cancel")
    order.cancel_reason = reason
    order.cancelled_at = order.updated_at
    await session.flush()
    await outbox.record(
        session,
        OrderCancelled(
            order_id=order.id,
            product_sku=order.product_sku,
            reason=reason,
            reservation_id=order.reservation_id,
        ),
        order.id,
    )
    return order


async def _order_for_event(session: AsyncSession, order_id: str) -> ProductionOrder | None:
    # Reservations of other services (e.g. deliveries) share the event type: not ours, skip.
    return await session.get(ProductionOrder, order_id, with_for_update=True)


def _touch(order: ProductionOrder) -> None:
    order.version += 1
    order.updated_at = utcnow()


async def materials_reserved(session: AsyncSession, reference: str, reservation_id: str) -> None:
    """Inventory reserved an order's components."""
    order = await _order_for_event(session, reference)
    if order is None or order.materials_status not in ("pending", "short"):
        return
    order.materials_status = "reserved"
    order.reservation_id = reservation_id
    order.shortages = []
    _touch(order)


async def materials_short(
    session: AsyncSession, reference: str, shortages: list[dict[str, Any]]
) -> None:
    """Inventory could not reserve an order's components in full."""
    order = await _order_for_event(session, reference)
    if order is None or order.materials_status != "pending":
        return
    order.materials_status = "short"
    order.shortages = shortages
    _touch(order)


async def _task(session: AsyncSession, task_id: str, order_id: str, sequence: int) -> TaskActual:
    task = await session.get(TaskActual, task_id, with_for_update=True)
    if task is None:
        task = TaskActual(task_id=task_id, order_id=order_id, sequence=sequence, work_center="")
        session.add(task)
    return task


async def task_started(
    session: AsyncSession,
    task_id: str,
    order_id: str,
    sequence: int,
    work_center: str,
    started_at: datetime,
) -> None:
    """The shop floor started an operation of an order: the order is in progress."""
    order = await _order_for_event(session, order_id)
    if order is None:
        return
    task = await _task(session, task_id, order_id, sequence)
    task.work_center = work_center
    task.started_at = task.started_at or started_at
    await session.flush()
    if order.status == "released":
        await start_order(session, order_id, started_at)


async def task_completed(
    session: AsyncSession,
    order_id: str,
    task_id: str,
    values: dict[str, Any],
) -> None:
    """The shop floor finished an operation of an order: keep its actuals for progress and cost."""
    order = await _order_for_event(session, order_id)
    if order is None:
        return
    task = await _task(session, task_id, order_id, values["sequence"])
    for field, value in values.items():
        setattr(task, field, value)
    if task.cost_per_hour is None:
        center = await session.get(KnownWorkCenter, task.work_center)
        task.cost_per_hour = center.cost_per_hour if center else None
    await session.flush()
    if order.status == "released":
        await start_order(session, order_id, values.get("started_at"))
    else:
        _touch(order)


async def task_reported(
    session: AsyncSession,
    order_id: str,
    task_id: str,
    sequence: int,
    work_center: str,
    good: Decimal,
    scrap: Decimal,
) -> None:
    """The shop floor reported units of an operation not finished yet: keep its totals so far."""
    order = await _order_for_event(session, order_id)
    if order is None:
        return
    task = await _task(session, task_id, order_id, sequence)
    task.work_center = work_center or task.work_center
    if task.completed_at is None:
        task.good_quantity, task.scrap_quantity = good, scrap
    await session.flush()
    _touch(order)


async def task_corrected(
    session: AsyncSession,
    order_id: str,
    task_id: str,
    sequence: int,
    good: Decimal,
    scrap: Decimal,
    last_operation: bool,
) -> None:
    """The shop floor corrected a completed operation's quantities: progress and cost follow."""
    order = await _order_for_event(session, order_id)
    if order is None:
        return
    task = await _task(session, task_id, order_id, sequence)
    task.good_quantity, task.scrap_quantity = good, scrap
    task.last_operation = task.last_operation or last_operation
    await session.flush()
    _touch(order)
