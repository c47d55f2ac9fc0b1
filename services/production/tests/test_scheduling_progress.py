"""Started operations stay where the shop floor put them when a schedule is made again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from services.production.domain.scheduling.plan import OrderToPlan, RoutingStep, WorkCenterToPlan
from services.production.domain.scheduling.progress import StartedStep, plan_around_progress
from shared.calendars import WorkCalendar

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
ALL_DAY = WorkCalendar.from_spec(
    {
        "timezone": "UTC",
        "shifts": [{"weekday": d, "start": "00:00", "end": "23:59"} for d in range(7)],
    }
)
SAW = WorkCenterToPlan("SAW", 1, ALL_DAY)
PAINT = WorkCenterToPlan("PAINT", 1, ALL_DAY)


def order(order_id: str, *steps: RoutingStep) -> OrderToPlan:
    return OrderToPlan(order_id, "BIKE", Decimal(1), steps)


def test_a_started_operation_keeps_its_start_and_holds_its_work_center_until_it_ends() -> None:
    cut = RoutingStep(10, "SAW", 0, 60)
    started = order("A", cut, RoutingStep(20, "PAINT", 0, 30))
    waiting = order("B", RoutingStep(10, "SAW", 0, 30))
    begun = NOW - timedelta(minutes=20)

    result = plan_around_progress(
        [started, waiting], [SAW, PAINT], [StartedStep("A", cut, begun)], NOW, "makespan", 2
    )

    ops = {(op.order_id, op.sequence): op for op in result.operations}
    assert (ops[("A", 10)].start, ops[("A", 10)].end) == (begun, NOW + timedelta(minutes=40))
    # Nothing else on the saw until the cut is done; the order's next step waits for it too.
    assert ops[("B", 10)].start >= NOW + timedelta(minutes=40)
    assert ops[("A", 20)].start >= NOW + timedelta(minutes=40)
    assert all(op.start >= NOW for key, op in ops.items() if key != ("A", 10))
    assert result.makespan_minutes == 70


def test_an_overrunning_operation_is_expected_to_end_now_not_in_the_past() -> None:
    cut = RoutingStep(10, "SAW", 0, 60)
    begun = NOW - timedelta(hours=3)

    result = plan_around_progress(
        [order("A", cut, RoutingStep(20, "PAINT", 0, 30))],
        [SAW, PAINT],
        [StartedStep("A", cut, begun)],
        NOW,
    )

    ops = {(op.order_id, op.sequence): op for op in result.operations}
    assert (ops[("A", 10)].start, ops[("A", 10)].end) == (begun, NOW)
    assert ops[("A", 20)].start == NOW


def test_an_order_whose_only_remaining_operation_runs_is_kept_without_solving() -> None:
    cut = RoutingStep(10, "SAW", 5, 25)
    begun = NOW - timedelta(minutes=10)

    result = plan_around_progress([order("A", cut)], [SAW], [StartedStep("A", cut, begun)], NOW)

    [op] = result.operations
    assert (op.order_id, op.start, op.end) == ("A", begun, NOW + timedelta(minutes=20))
