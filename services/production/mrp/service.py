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
    MrpException,
    MrpInput,
    PlanItem,
    ScheduledReceipt,
    SkuSupply,
    consume_forecasts,
    plan,
    supply_by_sku,
)
from services.production.events import MrpCompleted, MrpPlannedLine
from services.production.mrp.models import (
    DeliveryLineView,
    Forecast,
    MrpRun,
    PlannedOrderRow,
    ProposedPurchaseLineView,
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
from shared.queries import DatedListParams, fetch_page, get_one

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
    session: AsyncSession,
    start: date,
    production_orders: list[ProductionOrder],
    numbers: dict[str, str],
) -> list[ScheduledReceipt]:
    """Open supply: production orders, placed and proposed purchase orders, firmed buy orders.

    `numbers` learns the order number (MO-, PO-) of each source, for people to read."""
    receipts: list[ScheduledReceipt] = []
    for order in production_orders:
        if order.quantity > order.good_quantity:
            source = f"production-order:{order.id}"
            numbers[source] = order.number
            receipts.append(
                ScheduledReceipt(
                    order.product_sku,
                    order.due_date,
                    order.quantity - order.good_quantity,
                    source,
                    keep=waits_for_components(order),
                    kind="production_order",
                )
            )
    purchases = await session.execute(
        select(PurchaseLineView).where(
            PurchaseLineView.closed.is_(False),
            PurchaseLineView.ordered > PurchaseLineView.received,
        )
    )
    for line in purchases.scalars():
        source = f"purchase-order:{line.purchase_order_id}"
        if line.number:
            numbers[source] = line.number
        receipts.append(
            ScheduledReceipt(
                line.sku,
                line.expected_date or start,
                line.ordered - line.received,
                source,
            )
        )
    proposals = await session.execute(select(ProposedPurchaseLineView))
    for proposal in proposals.scalars():
        source = f"purchase-proposal:{proposal.purchase_order_id}"
        if proposal.number:
            numbers[source] = proposal.number
        receipts.append(
            ScheduledReceipt(
                proposal.sku,
                proposal.expected_date or start,
                proposal.quantity,
                source,
                kind="proposed_purchase",
            )
        )
    firmed = await session.execute(
        select(PlannedOrderRow).where(
            PlannedOrderRow.status == "firmed", PlannedOrderRow.production_order_id.is_(None)
        )
    )
    for buy in firmed.scalars():
        receipts.append(
            ScheduledReceipt(
                buy.sku,
                buy.due_date,
                buy.quantity - buy.ordered_quantity,
                f"planned-order:{buy.id}",
                kind="firmed_order",
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


def bom_edges(structure: dict[str, BomSpec]) -> tuple[BomEdge, ...]:
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


def waits_for_components(order: ProductionOrder) -> bool:
    """A released or started order whose components inventory has not (yet) reserved."""
    return order.status in ("released", "in_progress") and order.materials_status != "reserved"


def _component_demands(
    production_orders: list[ProductionOrder],
    history: BomHistory,
    start: date,
    lead_times: dict[str, int],
) -> list[Demand]:
    """What production orders will take of their components and inventory has not reserved.

    A planned order takes the components of the BOM version its release will explode: the one
    effective on its due date (the plan's start for an order already past it). A released or
    started order whose components are reserved counts as allocated stock; one still waiting for
    them (short, or not yet answered) needs the components its release exploded.
    """
    demands: list[Demand] = []
    for order in production_orders:
        needed_on = order.due_date - timedelta(days=lead_times.get(order.product_sku, 0))
        if waits_for_components(order):
            demands.extend(
                Demand(
                    line["sku"],
                    needed_on,
                    Decimal(line["quantity"]),
                    f"production-order:{order.id}",
                )
                for line in order.components
            )
            continue
        if order.status != "planned":
            continue
        bom = history.version_on(order.product_sku, max(order.due_date, start))
        if bom is None:
            continue
        for edge in bom_edges({order.product_sku: spec_of(bom)}):
            demands.append(
                Demand(
                    edge.component,
                    needed_on,
                    order.quantity * edge.quantity,
                    f"production-order:{order.id}",
                )
            )
    return demands


async def _demands(
    session: AsyncSession, start: date, request: RunRequest, numbers: dict[str, str]
) -> list[Demand]:
    deliveries = await session.execute(
        select(DeliveryLineView).where(
            DeliveryLineView.ordered.is_not(None),
            DeliveryLineView.ordered > DeliveryLineView.shipped + DeliveryLineView.reserved,
        )
    )
    orders = []
    for line in deliveries.scalars():
        if line.number:
            numbers[line.delivery_order_id] = line.number
        orders.append(
            Demand(
                line.sku,
                line.due_date or start,
                (line.ordered or ZERO) - line.shipped - line.reserved,
                line.delivery_order_id,
            )
        )
    end = start + timedelta(days=request.horizon_days)
    forecasts = await session.execute(
        select(Forecast).where(Forecast.date >= start, Forecast.date < end)
    )
    expected = [
        Demand(row.sku, row.date, row.quantity, f"forecast:{row.id}") for row in forecasts.scalars()
    ]
    return orders + consume_forecasts(expected, orders, start, request.bucket)


async def mrp_input(
    session: AsyncSession, request: RunRequest, start: date, numbers: dict[str, str] | None = None
) -> MrpInput:
    """What production knows now, as MRP's input: items, effective BOMs, stock, open orders.

    `numbers`, if given, learns the number (MO-, PO-, DO-) of every order the input names."""
    numbers = {} if numbers is None else numbers
    history = await bom_history(session)
    structure = history.structure_on(start)
    edges = bom_edges(structure)
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
        receipts=tuple(await _receipts(session, start, production_orders, numbers)),
        demands=tuple(
            await _demands(session, start, request, numbers)
            + _component_demands(production_orders, history, start, lead_times)
        ),
    )


async def run_mrp(session: AsyncSession, request: RunRequest) -> MrpRun:
    """Plan from today over the horizon, store the run, and publish `production.mrp.completed`."""
    start = utcnow().date()
    numbers: dict[str, str] = {}
    data = await mrp_input(session, request, start, numbers)
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
    pegs = {order.number: order.pegged_to for order in result.planned_orders}
    run.exceptions = [_exception(e, ids, pegs, numbers) for e in result.exceptions]
    run.supply = [_supply(row, numbers) for row in supply_by_sku(data, result)]
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


def _supply(supply: SkuSupply, numbers: dict[str, str]) -> dict[str, Any]:
    return {
        "sku": supply.sku,
        "on_hand": str(supply.on_hand),
        "allocated": str(supply.allocated),
        "open_purchase_orders": str(supply.of("purchase_order")),
        "proposed_purchase_orders": str(supply.of("proposed_purchase")),
        "open_production_orders": str(supply.of("production_order")),
        "firmed_orders": str(supply.of("firmed_order")),
        "planned_orders": str(supply.planned_orders),
        "orders": list(dict.fromkeys(numbers.get(s, s) for s in supply.sources)),
    }


def _exception(
    exception: MrpException,
    ids: dict[int, str],
    pegs: dict[int, frozenset[str]],
    numbers: dict[str, str],
) -> dict[str, Any]:
    pegged = pegs.get(exception.planned_order, frozenset()) if exception.planned_order else ()
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
        "order_number": numbers.get(exception.receipt) if exception.receipt else None,
        "for_orders": sorted(numbers.get(p, p) for p in pegged),
    }


async def get_run(session: AsyncSession, run_id: str) -> MrpRun:
    """A run by id, or NotFound."""
    return await get_one(session, MrpRun, run_id, f"No MRP run with id '{run_id}'.", run_id=run_id)


LIST_RUNS_DEFAULT = DatedListParams("-created_at")


async def list_runs(
    session: AsyncSession, page: PageParams, dated: DatedListParams = LIST_RUNS_DEFAULT
) -> tuple[list[MrpRun], int]:
    """Runs, newest first (or as sorted), one page, and how many there are."""
    query = dated.within(select(MrpRun), MrpRun.created_at)
    order = dated.order_by({"created_at": MrpRun.created_at})
    return await fetch_page(session, query, page, *order, MrpRun.id)


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
