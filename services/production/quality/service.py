"""Use cases of quality: inspection plans, inspections, the completion gate and the report."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.production.boms.service import refuse_unknown_skus
from services.production.database import outbox
from services.production.domain.quality import (
    Limits,
    ParetoLine,
    YieldLine,
    first_pass_yield,
    out_of_limits,
    pareto,
)
from services.production.events import DefectLine, InspectionRecorded
from services.production.orders.models import ProductionOrder
from services.production.quality.models import (
    Inspection,
    InspectionDefect,
    InspectionPlan,
    PlanCharacteristic,
)
from services.production.quality.schemas import InspectionCreate, InspectionPlanCreate
from shared.db import new_id, utcnow
from shared.dependencies import PageParams
from shared.errors import Conflict, IllegalTransition, InvalidInput
from shared.queries import DatedListParams, fetch_page, get_one

INSPECTABLE = ("released", "in_progress", "completed")


async def create_plan(session: AsyncSession, data: InspectionPlanCreate) -> InspectionPlan:
    """Store a new version of a product's inspection plan."""
    await refuse_unknown_skus(session, [data.product_sku])
    names = [c.name for c in data.characteristics]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InvalidInput(
            f"Characteristic(s) named twice: {', '.join(repeated)}.", duplicate_names=repeated
        )
    latest = await session.execute(
        select(func.max(InspectionPlan.version)).where(
            InspectionPlan.product_sku == data.product_sku
        )
    )
    plan = InspectionPlan(
        id=new_id(),
        product_sku=data.product_sku,
        version=(latest.scalar() or 0) + 1,
        sample_size=data.sample_size,
        created_at=utcnow(),
        characteristics=[
            PlanCharacteristic(position=n, **c.model_dump())
            for n, c in enumerate(data.characteristics)
        ],
    )
    session.add(plan)
    await session.flush()
    return plan


async def get_plan(session: AsyncSession, plan_id: str) -> InspectionPlan:
    """An inspection plan by id, or NotFound."""
    return await get_one(
        session, InspectionPlan, plan_id, f"No inspection plan '{plan_id}'.", plan_id=plan_id
    )


async def list_plans(
    session: AsyncSession, page: PageParams, product_sku: str | None = None
) -> tuple[list[InspectionPlan], int]:
    """Inspection plans by product, newest version first, one page, and how many match."""
    query = select(InspectionPlan)
    if product_sku:
        query = query.where(InspectionPlan.product_sku == product_sku)
    return await fetch_page(
        session, query, page, InspectionPlan.product_sku, InspectionPlan.version.desc()
    )


async def current_plan(session: AsyncSession, product_sku: str) -> InspectionPlan | None:
    """The latest inspection plan of a product, if it has one."""
    row = await session.execute(
        select(InspectionPlan)
        .where(InspectionPlan.product_sku == product_sku)
        .order_by(InspectionPlan.version.desc())
        .limit(1)
    )
    return row.scalar_one_or_none()


async def record_inspection(session: AsyncSession, data: InspectionCreate) -> Inspection:
    """Record an inspection of an order's output against its product's plan, and announce it."""
    order = await session.get(ProductionOrder, data.order_id)
    if order is None:
        raise InvalidInput(f"No production order '{data.order_id}'.", order_id=data.order_id)
    if order.status not in INSPECTABLE:
        raise IllegalTransition(
            f"Order {order.number} is {order.status}; only released, started or completed "
            "orders are inspected.",
            order_id=order.id,
            current_status=order.status,
        )
    codes = [d.code for d in data.defects]
    if len(set(codes)) != len(codes):
        raise InvalidInput("A defect code appears twice.", defect_codes=codes)
    plan = await current_plan(session, order.product_sku)
    limits = {
        c.name: Limits(c.lower_limit, c.upper_limit) for c in (plan.characteristics if plan else [])
    }
    measured = [(m.characteristic, m.value) for m in data.measurements]
    strangers = sorted({name for name, _ in measured if name not in limits})
    if strangers:
        raise InvalidInput(
            f"Not characteristics of {order.product_sku}'s inspection plan: {', '.join(strangers)}.",
            unknown_characteristics=strangers,
        )
    outside = out_of_limits(measured, limits)
    if data.result == "pass" and outside:
        raise InvalidInput(
            f"A passing inspection with values outside the limits: {', '.join(outside)}.",
            out_of_limits=outside,
        )
    earlier = await session.execute(
        select(func.count()).select_from(Inspection).where(Inspection.order_id == order.id)
    )
    inspection = Inspection(
        id=new_id(),
        order_id=order.id,
        product_sku=order.product_sku,
        lot=data.lot or order.lot,
        result=data.result,
        attempt=int(earlier.scalar_one()) + 1,
        plan_id=plan.id if plan else None,
        measurements=[
            {"characteristic": name, "value": str(value), "within_limits": name not in outside}
            for name, value in measured
        ],
        notes=data.notes,
        inspected_at=utcnow(),
        defects=[
            InspectionDefect(code=d.code, count=d.count)
            for d in sorted(data.defects, key=lambda d: d.code)
        ],
    )
    session.add(inspection)
    await session.flush()
    await outbox.record(
        session,
        InspectionRecorded(
            inspection_id=inspection.id,
            order_id=order.id,
            product_sku=order.product_sku,
            lot=inspection.lot,
            result=inspection.result,
            attempt=inspection.attempt,
            defects=[DefectLine(code=d.code, count=d.count) for d in inspection.defects],
        ),
        inspection.id,
    )
    return inspection


async def get_inspection(session: AsyncSession, inspection_id: str) -> Inspection:
    """An inspection by id, or NotFound."""
    return await get_one(
        session,
        Inspection,
        inspection_id,
        f"No inspection '{inspection_id}'.",
        inspection_id=inspection_id,
    )


LIST_INSPECTIONS_DEFAULT = DatedListParams("-inspected_at")


async def list_inspections(
    session: AsyncSession,
    page: PageParams,
    order_id: str | None = None,
    product_sku: str | None = None,
    dated: DatedListParams = LIST_INSPECTIONS_DEFAULT,
) -> tuple[list[Inspection], int]:
    """Inspections, newest first (or as sorted), filtered by order, product or date, one page,
    and how many match."""
    query = dated.within(select(Inspection), Inspection.inspected_at)
    if order_id:
        query = query.where(Inspection.order_id == order_id)
    if product_sku:
        query = query.where(Inspection.product_sku == product_sku)
    order = dated.order_by({"inspected_at": Inspection.inspected_at})
    return await fetch_page(session, query, page, *order, Inspection.attempt.desc())


async def require_passed_inspection(session: AsyncSession, order: ProductionOrder) -> None:
    """Refuse to complete an order whose product has an inspection plan unless its latest
    inspection passed."""
    if await current_plan(session, order.product_sku) is None:
        return
    latest = await session.execute(
        select(Inspection.result)
        .where(Inspection.order_id == order.id)
        .order_by(Inspection.attempt.desc())
        .limit(1)
    )
    result = latest.scalar_one_or_none()
    if result != "pass":
        raise Conflict(
            f"{order.product_sku} has an inspection plan: order {order.number} needs a passing "
            f"inspection before it completes (latest: {result or 'none'}).",
            order_id=order.id,
            latest_inspection_result=result,
        )


async def quality_report(
    session: AsyncSession,
    product_sku: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[list[YieldLine], list[ParetoLine]]:
    """First-pass yield per product and the defect Pareto over the inspections in a period."""
    query = select(Inspection)
    if product_sku:
        query = query.where(Inspection.product_sku == product_sku)
    if since:
        query = query.where(Inspection.inspected_at >= since)
    if until:
        query = query.where(Inspection.inspected_at < until)
    rows = list(
        (await session.execute(query.order_by(Inspection.order_id, Inspection.attempt))).scalars()
    )
    yields = first_pass_yield((i.product_sku, i.order_id, i.result, i.attempt) for i in rows)
    defects = pareto((d.code, d.count) for i in rows for d in i.defects)
    return yields, defects
