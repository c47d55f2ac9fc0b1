"""Sub-assembly orders and the orders consuming them are scheduled together, in that order."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from services.production.domain.scheduling.multilevel import levels_of, plan_with_sub_assemblies
from services.production.domain.scheduling.plan import OrderToPlan, RoutingStep
from services.production.tests.test_scheduling_progress import NOW, PAINT, SAW


def frame_and_bike(**bike: object) -> list[OrderToPlan]:
    frame = OrderToPlan(
        "F", "FRAME", Decimal(1), (RoutingStep(10, "SAW", 0, 120),), due=NOW + timedelta(hours=8)
    )
    bikes = OrderToPlan(
        "B",
        "BIKE",
        Decimal(1),
        (RoutingStep(10, "PAINT", 0, 60),),
        due=NOW + timedelta(hours=8),
        **bike,  # type: ignore[arg-type]
    )
    return [bikes, frame]


def ops_of(orders: list[OrderToPlan], just_in_time: bool = False) -> dict[str, tuple]:
    result = plan_with_sub_assemblies(orders, [SAW, PAINT], [], NOW, "makespan", 2, just_in_time)
    return {op.order_id: (op.start, op.end) for op in result.operations}


def test_an_order_starts_after_the_sub_assembly_order_it_consumes() -> None:
    independent = ops_of(frame_and_bike())
    assert independent["B"][0] == NOW  # unrelated, both start at once

    linked = ops_of(frame_and_bike(after=("F",)))
    assert linked["B"][0] >= linked["F"][1] == NOW + timedelta(minutes=120)


def test_just_in_time_keeps_the_sub_assembly_before_its_consumer() -> None:
    linked = ops_of(frame_and_bike(after=("F",)), just_in_time=True)
    assert linked["B"][1] == NOW + timedelta(hours=8)
    assert linked["F"][1] <= linked["B"][0]
    assert linked["F"][1] == linked["B"][0]  # as late as it can be: right before the bikes


def test_levels_ignore_unknown_orders_and_cycles() -> None:
    orders = frame_and_bike(after=("F", "GONE"))
    assert levels_of(orders, {"B": {"F", "GONE"}}) == {"B": 1, "F": 0}
    looped = levels_of(orders, {"B": {"F"}, "F": {"B"}})
    assert sorted(looped.values()) in ([0, 1],)
