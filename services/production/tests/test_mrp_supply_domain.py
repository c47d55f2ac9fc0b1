"""MRP's supply, with no database: orders kept from cancel advice, supply side by side per sku."""

from __future__ import annotations

from decimal import Decimal

from services.production.domain.mrp import (
    Demand,
    MrpInput,
    PlanItem,
    ScheduledReceipt,
    plan,
    supply_by_sku,
)
from services.production.tests.test_mrp_engine import START, day


def test_a_kept_receipt_nothing_needs_is_not_advised_cancel() -> None:
    data = MrpInput(
        start=START,
        horizon_days=30,
        bucket="day",
        items=(PlanItem("BIKE", "make"),),
        receipts=(
            ScheduledReceipt("BIKE", day(5), Decimal(20), "production-order:short", keep=True),
            ScheduledReceipt("BIKE", day(6), Decimal(5), "production-order:spare"),
        ),
    )
    result = plan(data)
    assert [(e.kind, e.receipt) for e in result.exceptions] == [
        ("cancel", "production-order:spare")
    ]


def test_supply_is_shown_side_by_side_per_sku() -> None:
    data = MrpInput(
        start=START,
        horizon_days=30,
        bucket="day",
        items=(PlanItem("WHEEL", "buy", lead_time_days=2),),
        on_hand={"WHEEL": Decimal(10)},
        allocated={"WHEEL": Decimal(4)},
        receipts=(
            ScheduledReceipt("WHEEL", day(3), Decimal(5), "purchase-order:p1"),
            ScheduledReceipt(
                "WHEEL", day(2), Decimal(7), "purchase-proposal:d1", kind="proposed_purchase"
            ),
            ScheduledReceipt("WHEEL", day(4), Decimal(1), "planned-order:f1", kind="firmed_order"),
        ),
        demands=(Demand("WHEEL", day(10), Decimal(30), "DO-1"),),
    )
    [wheels] = supply_by_sku(data, plan(data))
    assert (wheels.on_hand, wheels.allocated) == (Decimal(10), Decimal(4))
    assert (
        wheels.of("purchase_order"),
        wheels.of("proposed_purchase"),
        wheels.of("firmed_order"),
        wheels.of("production_order"),
    ) == (Decimal(5), Decimal(7), Decimal(1), Decimal(0))
    # 30 wanted, 6 free and 13 coming: 11 planned.
    assert wheels.planned_orders == Decimal(11)
    assert wheels.sources == ["purchase-proposal:d1", "purchase-order:p1", "planned-order:f1"]
