"""HTTP routes of inspection plans, inspections and the quality report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from services.production.catalog.references import learn_items
from services.production.quality import service
from services.production.quality.schemas import (
    DefectShare,
    InspectionCreate,
    InspectionPlanCreate,
    InspectionPlanRead,
    InspectionRead,
    ProductYield,
    QualityReport,
)
from shared.auth import require_scope
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep, TransactionsDep
from shared.queries import DatedListParams, dated_list_params
from shared.timestamps import PlantDateTime

READ = [require_scope("production:read")]
WRITE = [require_scope("production:write")]

plans = APIRouter(prefix="/api/v1/inspection-plans", tags=["quality"])
inspections = APIRouter(prefix="/api/v1/inspections", tags=["quality"])
reports = APIRouter(prefix="/api/v1/reports", tags=["quality"])


@plans.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=InspectionPlanRead
)
async def create_plan(
    data: InspectionPlanCreate, tx: TransactionsDep, response: Response
) -> InspectionPlanRead:
    """Give a product an inspection plan (a new version if it has one). From then on its orders
    complete only after a passing inspection. 422 if inventory has no such item; 503 if it
    cannot be asked about one production has not heard of yet."""
    await learn_items(tx, [data.product_sku])
    async with tx.effect() as session:
        plan = await service.create_plan(session, data)
        created = InspectionPlanRead.model_validate(plan)
    response.headers["Location"] = f"/api/v1/inspection-plans/{plan.id}"
    return created


@plans.get("", dependencies=READ, response_model=Page[InspectionPlanRead])
async def list_plans(
    session: ReadSessionDep,
    page: PageDep,
    product_sku: Annotated[str | None, Query(description="Only this product's versions.")] = None,
) -> Page[InspectionPlanRead]:
    """List inspection plans by product, newest version first."""
    rows, total = await service.list_plans(session, page, product_sku)
    return Page.of([InspectionPlanRead.model_validate(r) for r in rows], total, page)


@plans.get("/{plan_id}", dependencies=READ, response_model=InspectionPlanRead)
async def get_plan(plan_id: str, session: ReadSessionDep) -> InspectionPlanRead:
    """One inspection plan."""
    return InspectionPlanRead.model_validate(await service.get_plan(session, plan_id))


@inspections.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=InspectionRead
)
async def record_inspection(
    data: InspectionCreate, session: SessionDep, response: Response
) -> InspectionRead:
    """Record an inspection of an order's output (publishes `production.inspection.recorded`; a
    failed lot is put on hold by inventory). Measurements must name characteristics of the
    product's plan, and a pass with a value outside its limits is 422."""
    inspection = await service.record_inspection(session, data)
    response.headers["Location"] = f"/api/v1/inspections/{inspection.id}"
    return InspectionRead.model_validate(inspection)


INSPECTION_LIST = dated_list_params(["inspected_at"], "-inspected_at", "inspected_at")


@inspections.get("", dependencies=READ, response_model=Page[InspectionRead])
async def list_inspections(
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[DatedListParams, Depends(INSPECTION_LIST)],
    order_id: Annotated[str | None, Query(description="Only this order's inspections.")] = None,
    product_sku: Annotated[str | None, Query(description="Only this product's.")] = None,
) -> Page[InspectionRead]:
    """List inspections, newest first."""
    rows, total = await service.list_inspections(session, page, order_id, product_sku, dated)
    return Page.of([InspectionRead.model_validate(r) for r in rows], total, page)


@inspections.get("/{inspection_id}", dependencies=READ, response_model=InspectionRead)
async def get_inspection(inspection_id: str, session: ReadSessionDep) -> InspectionRead:
    """One inspection."""
    return InspectionRead.model_validate(await service.get_inspection(session, inspection_id))


@reports.get("/quality", dependencies=READ, response_model=QualityReport)
async def quality_report(
    session: ReadSessionDep,
    product_sku: Annotated[str | None, Query(description="Only this product.")] = None,
    start: Annotated[
        PlantDateTime | None, Query(description="Inspections from (inclusive).")
    ] = None,
    end: Annotated[
        PlantDateTime | None, Query(description="Inspections until (exclusive).")
    ] = None,
) -> QualityReport:
    """First-pass yield per product (orders whose first inspection passed, over the orders
    inspected) and the defect Pareto (codes by count with cumulative share)."""
    yields, defects = await service.quality_report(session, product_sku, start, end)
    return QualityReport(
        products=[
            ProductYield(
                product_sku=y.product_sku,
                orders_inspected=y.orders_inspected,
                passed_first_time=y.passed_first_time,
                first_pass_yield=y.first_pass_yield,
                inspections=y.inspections,
                failed_inspections=y.failed_inspections,
            )
            for y in yields
        ],
        defects=[
            DefectShare(
                code=d.code, count=d.count, share=d.share, cumulative_share=d.cumulative_share
            )
            for d in defects
        ],
    )
