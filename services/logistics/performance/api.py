"""HTTP routes of supplier and delivery performance."""

from __future__ import annotations

from fastapi import APIRouter

from services.logistics.domain.performance import Otif, combine
from services.logistics.performance import service
from services.logistics.performance.schemas import (
    CustomerPerformance,
    DeliveryPerformance,
    SupplierPerformance,
)
from shared.auth import require_scope
from shared.dependencies import ReadSessionDep

router = APIRouter(
    prefix="/api/v1/performance",
    tags=["performance"],
    dependencies=[require_scope("logistics:read")],
)


def _figures(summary: Otif) -> dict[str, object]:
    return {
        "deliveries": summary.deliveries,
        "on_time": summary.on_time,
        "in_full": summary.in_full,
        "on_time_in_full": summary.on_time_in_full,
        "otif_rate": summary.rate,
    }


@router.get("/suppliers", response_model=list[SupplierPerformance])
async def suppliers(session: ReadSessionDep) -> list[SupplierPerformance]:
    """On-time in-full per supplier over completed purchase orders."""
    outcomes = await service.supplier_outcomes(session)
    return [SupplierPerformance(supplier=s, **_figures(o)) for s, o in outcomes.items()]  # type: ignore[arg-type]


@router.get("/deliveries", response_model=DeliveryPerformance)
async def deliveries(session: ReadSessionDep) -> DeliveryPerformance:
    """On-time in-full of customer deliveries, overall and per customer."""
    outcomes = await service.delivery_outcomes(session)
    total = combine(outcomes.values())
    customers = [CustomerPerformance(customer=c, **_figures(o)) for c, o in outcomes.items()]  # type: ignore[arg-type]
    return DeliveryPerformance(customers=customers, **_figures(total))  # type: ignore[arg-type]
