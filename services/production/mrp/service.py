"""Use cases of MRP: run it over production's views, read runs, firm planned orders, forecasts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.boms.service import BomHistory, bom_history, spec_of
from services.production.catalog.models import KnownItem, KnownStock
from services.production.database import outbox
from services.production.domain.bom import BomSpec
from services.production.domain.mrp import (
    BomCycle,
    BomEdge,
    Demand,
    MrpInput,
    PlanItem,
    ScheduledReceipt,
    consume_forecasts,
    plan,
)
from services.production.events import MrpCompleted, MrpPlannedLine
from services.production.mrp.models import (
    DeliveryLineView,
    Forecast,
    MrpRun,
    PlannedOrderRow,
    PurchaseLineView,
)
from services.production.mrp.schemas import ForecastCreate, RunRequest
from services.production.orders.models import ProductionOrder
from services.production.orders.schemas import OrderCreate
from services.production.orders.service import create_order
from services.production.planning.service import all_parameters, plan_item
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import Conflict, IllegalTransition, NotFound
from shared.queries import fetch_page, get_one

ZERO = Decimal(0)
OPEN_ORDER_STATUSES = ("planned", "released", "in_progress")


async def _open_production_orders(session: AsyncSession) -> list[ProductionOrder]:
    rows = await session.execute(
        select(ProductionOrder).where(ProductionOrder.status.in_(OPEN_ORDER_STATUSES))
    )
    return list(rows.scalars())


async def _items(session: AsyncSession, with_bom: set[str]) -> list[PlanItem]:
    rows = (await session.execute(select(KnownItem))).scalars()
    parameters = await all_parameters(session)
    return [plan_item(row, row.sku in with_bom, parameters.get(row.sku)) for row in rows]


async def _receipts(
    session: AsyncSession, start: date, production_orders: list[ProductionOrder]
) -> list[ScheduledReceipt]:
    receipts = [
        ScheduledReceipt(
            order.product_sku,
            order.due_date,
            order.quantity - order.good_quantity,
            f"production-order:{order.id}",
        )
        for order in production_orders
        if order.quantity > order.good_quantity
    ]
    purchases = await session.execute(
        select(PurchaseLineView).where(
            PurchaseLineView.closed.is_(False),
            PurchaseLineView.ordered > PurchaseLineView.received,
        )
    )
    for line in purchases.scalars():
        receipts.append(
            ScheduledReceipt(
                line.sku,
                line.expected_date or start,
                line.ordered - line.received,
                f"purchase-order:{line.purchase_order_id}",
            )
        )
    firmed = await session.execute(
        select(PlannedOrderRow).where(
            PlannedOrderRow.status == "firmed", PlannedOrderRow.production_order_id.is_(None)
        )
    )
    for order in firmed.scalars():
        receipts.append(
            ScheduledReceipt(
                order.sku,
                order.due_date,
                order.quantity - order.ordered_quantity,
                f"planned-order:{order.id}",
            )
        )
    return receipts


async def cover_firmed_buys(
    session: AsyncSession, purchase_order_id: str, lines: dict[str, Decimal]
) -> None:
    """A purchase order newly placed covers the firmed buy orders of its skus, earliest due first,
    so the same need is not counted as supply twice (once firmed, once ordered)."""
    for sku, quantity in lines.items():
        firmed = await session.execute(
            select(PlannedOrderRow)
            .where(
                PlannedOrderRow.kind == "buy",
                PlannedOrderRow.status == "firmed",
                PlannedOrderRow.sku == sku,
            )
            .order_by(PlannedOrderRow.due_date, PlannedOrderRow.firmed_at)
            .with_for_update()
        )
        left = quantity
        for order in firmed.scalars():
            if left <= ZERO:
                break
            taken = min(left, order.quantity - order.ordered_quantity)
            left -= taken
            order.ordered_quantity += taken
            order.purchase_order_ids = [*order.purchase_order_ids, purchase_order_id]
            if order.ordered_quantity >= order.quantity:
                order.status = "ordered"
    await session.flush()


def _edges(structure: dict[str, BomSpec]) -> tuple[BomEdge, ...]:
    """Parent-component links with the quantity per unit of the parent, scrap included."""
    return tuple(
        BomEdge(
            product,
            line.sku,
            line.quantity / bom.output_quantity * (1 + line.scrap_factor),
        )
        for product, bom in structure.items()
        for line in bom.components
    )


def _component_demands(
    production_orders: list[ProductionOrder],
    history: BomHistory,
    start: date,
    lead_times: dict[str, int],
) -> list[Demand]:
    """What planned (not yet released) production orders will take when released.

    Each takes the components of the BOM version its release will explode: the one effective on
    its due date (the plan's start for an order already past it). Released orders have their
    components reserved in inventory: those count as allocated stock.
    """
    demands = []
    for order in production_orders:
        if order.status != "planned":
            continue
        bom = history.version_on(order.product_sku, max(order.due_date, start))
        if bom is None:
            continue
        needed_on = order.due_date - timedelta(days=lead_times.get(order.product_sku, 0))
        for edge in _edges({order.product_sku: spec_of(bom)}):
            demands.append(
                Demand(
                    edge.component,
                    needed_on,
                    order.quantity * edge.quantity,
                    f"production-order:{order.id}",
                )
            )
    return demands


async def _demands(session: AsyncSession, start: date, request: RunRequest) -> list[Demand]:
    deliveries = await session.execute(
        select(DeliveryLineView).where(
            DeliveryLineView.ordered.is_not(None),
            DeliveryLineView.ordered > DeliveryLineView.shipped + DeliveryLineView.reserved,
        )
    )
    orders = [
        Demand(
            line.sku,
            line.due_date or start,
            (line.ordered or ZERO) - line.shipped - line.reserved,
            line.delivery_order_id,
        )
        for line in deliveries.scalars()
    ]
    end = start + timedelta(days=request.horizon_days)
    forecasts = await session.execute(
        select(Forecast).where(Forecast.date >= start, Forecast.date < end)
    )
    expected = [
        Demand(row.sku, row.date, row.quantity, f"forecast:{row.id}") for row in forecasts.scalars()
    ]
    return orders + consume_forecasts(expected, orders, start, request.bucket)


async def mrp_input(session: AsyncSession, request: RunRequest, start: date) -> MrpInput:
    """What production knows now, as MRP's input: items, effective BOMs, stock, open orders."""
    history = await bom_history(session)
    structure = history.structure_on(start)
    edges = _edges(structure)
    stock = (await session.execute(select(KnownStock))).scalars().all()
    items = await _items(session, set(structure))
    production_orders = await _open_production_orders(session)
    lead_times = {item.sku: item.lead_time_days for item in items}
    return MrpInput(
        start=start,
        horizon_days=request.horizon_days,
        bucket=request.bucket,
        items=tuple(items),
        edges=edges,
        on_hand={row.sku: row.on_hand - row.on_hold for row in stock},
        allocated={row.sku: row.reserved for row in stock},
        receipts=tuple(await _receipts(session, start, production_orders)),
        demands=tuple(
            await _demands(session, start, request)
            + _component_demands(production_orders, history, start, lead_times)
        ),
    )


async def run_mrp(session: AsyncSession, request: RunRequest) -> MrpRun:
    """Plan from today over the horizon, store the run, and publish `production.mrp.completed`."""
    start = utcnow().date()
    data = await mrp_input(session, request, start)
    try:
        result = plan(data)
    except BomCycle as exc:  # BOM publishing refuses cycles; this guards the views all the same
        raise Conflict(str(exc), cycle=exc.skus) from exc
    run = MrpRun(
        id=new_id(),
        start_date=start,
        horizon_days=request.horizon_days,
        bucket=request.bucket,
        exceptions=[],
        created_at=utcnow(),
    )
    ids: dict[int, str] = {}
    rows = []
    for order in result.planned_orders:
        ids[order.number] = new_id()
        rows.append(
            PlannedOrderRow(
                id=ids[order.number],
                number=order.number,
                kind=order.kind,
                sku=order.sku,
                quantity=order.quantity,
                release_date=order.release_date,
                due_date=order.due_date,
                pegged_to=sorted(order.pegged_to),
                supplier=order.supplier,
                status="planned",
            )
        )
    run.planned_orders = rows
    run.exceptions = [_exception(e, ids) for e in result.exceptions]
    session.add(run)
    await session.flush()
    await outbox.record(
        session,
        MrpCompleted(
            run_id=run.id,
            horizon_days=run.horizon_days,
            planned_orders=[
                MrpPlannedLine(
                    planned_order_id=row.id,
                    kind=row.kind,
                    sku=row.sku,
                    quantity=row.quantity,
                    release_date=row.release_date,
                    due_date=row.due_date,
                    pegged_to=row.pegged_to,
                    supplier=row.supplier,
                )
                for row in rows
            ],
        ),
        run.id,
    )
    return run


def _exception(exception: Any, ids: dict[int, str]) -> dict[str, Any]:
    return {
        "kind": exception.kind,
        "sku": exception.sku,
        "date": exception.date.isoformat(),
        "needed_date": exception.needed_date.isoformat() if exception.needed_date else None,
        "quantity": str(exception.quantity),
        "planned_order_id": ids.get(exception.planned_order)
        if exception.planned_order is not None
        else None,
        "open_order": exception.receipt,
    }


async def get_run(session: AsyncSession, run_id: str) -> MrpRun:
    """A run by id, or NotFound."""
    return await get_one(session, MrpRun, run_id, f"No MRP run with id '{run_id}'.", run_id=run_id)


async def list_runs(session: AsyncSession, page: PageParams) -> tuple[list[MrpRun], int]:
    """Runs, newest first, one page, and how many there are."""
    return await fetch_page(session, select(MrpRun), page, MrpRun.created_at.desc())


async def firm_planned_order(session: AsyncSession, planned_order_id: str) -> PlannedOrderRow:
    """Commit a planned order: a make order becomes a production order (status planned); a buy
    order stays firmed supply for later runs, which no longer plan it again."""
    order = await session.get(PlannedOrderRow, planned_order_id, with_for_update=True)
    if order is None:
        raise NotFound(
            f"No planned order with id '{planned_order_id}'.", planned_order_id=planned_order_id
        )
    if order.status != "planned":
        raise IllegalTransition(
            f"Planned order '{planned_order_id}' is {order.status} already.",
            current_status=order.status,
        )
    if order.kind == "make":
        production_order = await create_order(
            session,
            OrderCreate(product_sku=order.sku, quantity=order.quantity, due_date=order.due_date),
        )
        order.production_order_id = production_order.id
    order.status = "firmed"
    order.firmed_at = utcnow()
    await session.flush()
    return order


async def create_forecast(session: AsyncSession, data: ForecastCreate) -> Forecast:
    """Record expected sales of a sku on a date."""
    forecast = Forecast(id=new_id(), created_at=utcnow(), **data.model_dump())
    session.add(forecast)
    await session.flush()
    return forecast


async def list_forecasts(
    session: AsyncSession, page: PageParams, sku: str | None = None
) -> tuple[list[Forecast], int]:
    """Forecasts by date, one page, and how many match."""
    query = select(Forecast)
    if sku:
        query = query.where(Forecast.sku == sku)
    return await fetch_page(session, query, page, Forecast.date, Forecast.sku, Forecast.id)
