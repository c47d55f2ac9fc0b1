"""Use cases of costing: roll up a product's standard cost, cost a production order."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.boms.service import effective_structure
from services.production.catalog.models import KnownItem, KnownWorkCenter
from services.production.costing.models import MaterialIssue
from services.production.costing.schemas import (
    CostLineRead,
    CostRead,
    OrderCostsRead,
    StandardCostRead,
)
from services.production.costing.settings import CostingSettings
from services.production.domain.costing import (
    Cost,
    CostModel,
    RoutingStep,
    order_standard,
    per_unit,
    roll_up,
)
from services.production.orders.models import ProductionOrder, TaskActual
from services.production.routings.models import Routing
from shared.db import utcnow
from shared.errors import NotFound
from shared.numbers import DecimalValue, quantize

ZERO = Decimal(0)
MINUTES_PER_HOUR = Decimal(60)


class MovementSeen(BaseModel):
    """What costing reads of `inventory.movement.recorded`."""

    model_config = ConfigDict(extra="ignore")

    movement_id: str
    kind: str
    sku: str
    quantity: DecimalValue
    value: DecimalValue = ZERO
    reference: str | None = None


async def movement_recorded(session: AsyncSession, seen: MovementSeen) -> None:
    """Keep issues made against a reference (a production order's id), once each."""
    if seen.kind != "issue" or not seen.reference:
        return
    if await session.get(MaterialIssue, seen.movement_id) is None:
        session.add(
            MaterialIssue(
                movement_id=seen.movement_id,
                order_id=seen.reference,
                sku=seen.sku,
                quantity=abs(seen.quantity),
                value=abs(seen.value),
            )
        )
        await session.flush()


async def cost_model(session: AsyncSession) -> CostModel:
    """Standard costs, BOMs and routings in effect today, work-center rates, the overhead rate."""
    on = utcnow().date()
    items = (await session.execute(select(KnownItem.sku, KnownItem.standard_cost))).all()
    centers = (
        await session.execute(select(KnownWorkCenter.code, KnownWorkCenter.cost_per_hour))
    ).all()
    routings: dict[str, Routing] = {}
    for routing in (
        await session.execute(select(Routing).where(Routing.effective_from <= on))
    ).scalars():
        current = routings.get(routing.product_sku)
        if current is None or routing.version > current.version:
            routings[routing.product_sku] = routing
    return CostModel(
        standard_costs={sku: cost for sku, cost in items},
        boms=await effective_structure(session, on),
        routings={
            sku: [
                RoutingStep(op.work_center, op.setup_minutes, op.run_minutes_per_unit)
                for op in routing.operations
            ]
            for sku, routing in routings.items()
        },
        hourly_costs={code: rate for code, rate in centers},
        overhead_rate=CostingSettings().overhead_rate,
    )


def _read(cost: Cost) -> CostRead:
    return CostRead(
        material=quantize(cost.material),
        labour=quantize(cost.labour),
        overhead=quantize(cost.overhead),
        total=quantize(cost.total),
    )


def _scaled(cost: Cost, factor: Decimal) -> Cost:
    return Cost(cost.material * factor, cost.labour * factor, cost.overhead * factor)


async def standard_cost(session: AsyncSession, sku: str, quantity: Decimal) -> StandardCostRead:
    """A product's standard cost for a batch of `quantity`, level by level; NotFound if unknown."""
    model = await cost_model(session)
    if sku not in model.standard_costs and sku not in model.boms:
        raise NotFound(f"No item '{sku}'.", sku=sku)
    lines = roll_up(model, sku, quantity)
    total = lines[0].total
    return StandardCostRead(
        sku=sku,
        quantity=quantity,
        overhead_rate=model.overhead_rate,
        unit_cost=_read(_scaled(total, 1 / quantity)),
        total=_read(total),
        lines=[
            CostLineRead(
                level=line.level,
                sku=line.sku,
                quantity=quantize(line.quantity),
                own=_read(line.own),
                total=_read(line.total),
            )
            for line in lines
        ],
    )


def conversion_cost(tasks: Sequence[TaskActual]) -> Decimal:
    """Reported work-center time at hourly cost, plus overhead at the configured rate."""
    return quantize(_labour(tasks) * (1 + CostingSettings().overhead_rate))


def _labour(tasks: Sequence[TaskActual]) -> Decimal:
    return sum(
        (
            (task.worked_minutes or ZERO) * (task.cost_per_hour or ZERO) / MINUTES_PER_HOUR
            for task in tasks
        ),
        ZERO,
    )


async def order_costs(session: AsyncSession, order_id: str) -> OrderCostsRead:
    """An order's standard cost, its actual cost so far, and the variance, split by kind."""
    order = await session.get(ProductionOrder, order_id)
    if order is None:
        raise NotFound(f"No production order with id '{order_id}'.", order_id=order_id)
    model = await cost_model(session)
    quantity = order.good_quantity if order.status == "completed" else order.quantity
    component_costs: dict[str, Decimal] = {}
    bom = model.boms.get(order.product_sku)
    if bom is not None and quantity > 0:
        for line in bom.components:
            needed = quantity * per_unit(bom, line.quantity, line.scrap_factor)
            component_costs[line.sku] = roll_up(model, line.sku, needed)[0].total.total / needed
    standard = order_standard(model, order.product_sku, quantity, component_costs)
    issues = (
        await session.execute(select(MaterialIssue.value).where(MaterialIssue.order_id == order_id))
    ).scalars()
    tasks = list(
        (await session.execute(select(TaskActual).where(TaskActual.order_id == order_id))).scalars()
    )
    labour = _labour(tasks)
    actual = Cost(sum(issues, ZERO), labour, labour * model.overhead_rate)
    furthest = max(
        (t for t in tasks if t.good_quantity is not None), key=lambda t: t.sequence, default=None
    )
    reported = (furthest.good_quantity or ZERO) if furthest is not None else ZERO
    return OrderCostsRead(
        reported_good_quantity=reported,
        actual_per_good_unit=quantize(actual.total / reported) if reported > 0 else None,
        order_id=order.id,
        product_sku=order.product_sku,
        quantity=quantity,
        standard=_read(standard),
        actual=_read(actual),
        variance=_read(actual - standard),
    )
