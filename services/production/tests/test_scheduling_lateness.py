"""Late orders in a plan say what held them: a material, a bottleneck, or the due date itself."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from services.production.domain.scheduling.lateness import late_orders
from services.production.domain.scheduling.plan import (
    MaterialHold,
    OrderToPlan,
    RoutingStep,
    plan,
)
from services.production.tests.test_scheduling_progress import NOW, SAW


def order(order_id: str, minutes: int, due_in: int, **fields: object) -> OrderToPlan:
    return OrderToPlan(
        order_id,
        "BIKE",
        Decimal(1),
        (RoutingStep(10, "SAW", 0, minutes),),
        due=NOW + timedelta(minutes=due_in),
        **fields,  # type: ignore[arg-type]
    )


def test_an_order_short_of_a_material_starts_when_it_arrives_and_is_late_for_it() -> None:
    arrives = NOW + timedelta(days=2)
    held = order(
        "A",
        60,
        120,
        release=arrives,
        materials=(MaterialHold("FRAME", arrives, "PO-0001"),),
    )
    result = plan([held], [SAW], NOW)
    [op] = result.operations
    assert op.start >= arrives
    [late] = late_orders(result, [held])
    assert (late.reason, late.sku, late.expected, late.source) == (
        "material",
        "FRAME",
        arrives,
        "PO-0001",
    )


def test_an_order_that_waits_for_a_busy_work_center_names_it() -> None:
    first, second = order("A", 120, 120, weight=9), order("B", 60, 90)
    result = plan([first, second], [SAW], NOW, "tardiness", 2)
    [late] = late_orders(result, [first, second])
    assert (late.order_id, late.reason, late.work_center) == ("B", "work_center", "SAW")
    assert late.minutes_late == 90


def test_an_order_too_long_for_its_due_date_blames_the_date() -> None:
    rushed = order("A", 120, 60)
    result = plan([rushed], [SAW], NOW)
    [late] = late_orders(result, [rushed])
    assert (late.reason, late.minutes_late) == ("due_date", 60)
