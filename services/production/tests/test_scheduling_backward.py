"""Just in time: operations as late as the due dates let them be, still a valid plan."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from services.production.domain.scheduling.plan import OrderToPlan, RoutingStep, WorkCenterToPlan
from services.production.domain.scheduling.progress import plan_around_progress
from services.production.tests.test_scheduling_progress import ALL_DAY, NOW, PAINT, SAW
from services.production.tests.test_scheduling_working_time import check_plan

DUE = NOW + timedelta(hours=10)


def orders() -> list[OrderToPlan]:
    return [
        OrderToPlan(
            "A",
            "BIKE",
            Decimal(1),
            (RoutingStep(10, "SAW", 0, 60), RoutingStep(20, "PAINT", 0, 30)),
            due=DUE,
        ),
        OrderToPlan("B", "BIKE", Decimal(1), (RoutingStep(10, "SAW", 0, 60),), due=DUE),
        OrderToPlan("C", "BIKE", Decimal(1), (RoutingStep(10, "PAINT", 0, 20),)),
    ]


def test_backward_plans_finish_just_before_their_due_dates_and_stay_valid() -> None:
    forward = plan_around_progress(orders(), [SAW, PAINT], [], NOW, "makespan", 2)
    backward = plan_around_progress(orders(), [SAW, PAINT], [], NOW, "makespan", 2, True)

    assert check_plan(backward, orders(), [SAW, PAINT]) == []
    ends = {op.order_id: op.end for op in backward.operations}
    assert all(DUE - timedelta(hours=2) <= ends[o] <= DUE for o in ("A", "B"))
    assert all(op.start >= NOW for op in backward.operations)
    # Without a due date an order stays where the forward plan put it.
    [c_forward] = [op for op in forward.operations if op.order_id == "C"]
    [c_backward] = [op for op in backward.operations if op.order_id == "C"]
    assert c_backward.start == c_forward.start
    assert max(ends.values()) > max(op.end for op in forward.operations if op.order_id != "C")


def test_an_order_already_late_is_never_made_later() -> None:
    late = OrderToPlan(
        "L", "BIKE", Decimal(1), (RoutingStep(10, "SAW", 0, 120),), due=NOW + timedelta(hours=1)
    )
    forward = plan_around_progress([late], [SAW], [], NOW)
    backward = plan_around_progress([late], [SAW], [], NOW, just_in_time=True)
    assert [op.end for op in backward.operations] == [op.end for op in forward.operations]


def test_two_units_let_two_operations_end_at_the_same_due_date() -> None:
    pair = WorkCenterToPlan("SAW", 2, ALL_DAY)
    both = [
        OrderToPlan(x, "BIKE", Decimal(1), (RoutingStep(10, "SAW", 0, 60),), due=DUE)
        for x in ("A", "B")
    ]
    backward = plan_around_progress(both, [pair], [], NOW, just_in_time=True)
    assert check_plan(backward, both, [pair]) == []
    assert [op.end for op in backward.operations] == [DUE, DUE]
