"""Plans on real work centers: operations inside shifts, around downtime, within capacity."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from services.production.domain.scheduling import Job, Operation, Problem, dispatch, verify
from services.production.domain.scheduling.plan import (
    OrderToPlan,
    Plan,
    PlanningError,
    RoutingStep,
    WorkCenterToPlan,
    plan,
)
from services.production.domain.scheduling.profile import CapacityProfile
from shared.calendars import WorkCalendar, working_intervals

MONDAY = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
DAY_SHIFT = WorkCalendar.from_spec(
    {
        "timezone": "Europe/Paris",
        "shifts": [{"weekday": d, "start": "06:00", "end": "14:00"} for d in range(5)]
        + [{"weekday": d, "start": "14:30", "end": "22:00"} for d in range(5)],
        "holidays": ["2026-12-02"],
    }
)


def check_plan(
    result: Plan, orders: list[OrderToPlan], centers: list[WorkCenterToPlan]
) -> list[str]:
    """Check a plan against the inputs with nothing from the planner but its answer."""
    errors = []
    by_code = {c.code: c for c in centers}
    placed = defaultdict(list)
    for op in result.operations:
        placed[op.order_id].append(op)
    for order in orders:
        ops = sorted(placed[order.order_id], key=lambda o: o.sequence)
        if [(o.sequence, o.work_center) for o in ops] != [
            (s.sequence, s.work_center) for s in order.steps
        ]:
            errors.append(f"{order.order_id}: operations differ from its routing")
            continue
        ready = max(result.origin, order.release or result.origin)
        for op, step in zip(ops, order.steps, strict=True):
            if op.end - op.start != timedelta(minutes=step.setup_minutes + step.run_minutes):
                errors.append(f"{order.order_id}/{op.sequence}: wrong duration")
            if op.start < ready:
                errors.append(f"{order.order_id}/{op.sequence}: starts before it may")
            ready = op.end
            center = by_code[op.work_center]
            working = working_intervals(center.calendar, op.start - timedelta(days=1), op.end)
            if not any(s <= op.start and op.end <= e for s, e in working):
                errors.append(f"{order.order_id}/{op.sequence}: not inside one shift")
            if any(s < op.end and op.start < e for s, e in center.downtime):
                errors.append(f"{order.order_id}/{op.sequence}: during downtime")
    for code, center in by_code.items():
        events = sorted(
            (t, d)
            for op in result.operations
            if op.work_center == code
            for t, d in ((op.start, 1), (op.end, -1))
        )
        load = 0
        for _, delta in events:
            load += delta
            if load > center.capacity:
                errors.append(f"{code}: over capacity")
                break
    return errors


def shop(seed: int) -> tuple[list[OrderToPlan], list[WorkCenterToPlan]]:
    rng = random.Random(seed)
    breakdown = (MONDAY + timedelta(hours=3), MONDAY + timedelta(hours=30))
    centers = [
        WorkCenterToPlan("CUT", 1, DAY_SHIFT, (breakdown,)),
        WorkCenterToPlan("MILL", 2, DAY_SHIFT),
        WorkCenterToPlan("PACK", 1, WorkCalendar.from_spec(None)),
    ]
    orders = []
    for n in range(rng.randint(4, 9)):
        steps = tuple(
            RoutingStep(
                10 * (i + 1),
                rng.choice(["CUT", "MILL", "PACK"]),
                rng.randint(0, 30),
                rng.randint(5, 200),
            )
            for i in range(rng.randint(1, 4))
        )
        orders.append(
            OrderToPlan(
                f"O{n}",
                "BIKE",
                Decimal(rng.randint(1, 50)),
                steps,
                release=MONDAY + timedelta(hours=rng.randint(0, 48))
                if rng.random() < 0.5
                else None,
                due=MONDAY + timedelta(hours=rng.randint(10, 120)),
                weight=rng.randint(1, 3),
            )
        )
    return orders, centers


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("objective", ["makespan", "tardiness"])
def test_plans_keep_to_shifts_downtime_capacity_precedence_and_release(
    seed: int, objective: str
) -> None:
    orders, centers = shop(seed)
    result = plan(orders, centers, MONDAY, objective, time_limit_seconds=1)  # type: ignore[arg-type]
    assert check_plan(result, orders, centers) == []
    assert result.makespan_minutes == max(
        int((op.end - MONDAY).total_seconds() // 60) for op in result.operations
    )


def test_an_operation_waits_for_the_next_shift_rather_than_spanning_the_break() -> None:
    center = WorkCenterToPlan("CUT", 1, DAY_SHIFT)
    order = OrderToPlan("A", "BIKE", Decimal(1), (RoutingStep(10, "CUT", 0, 450),))
    # From 12:00 Paris on Monday only 2 h remain before the break: the 7.5 h run waits.
    result = plan([order], [center], datetime(2026, 11, 30, 11, 0, tzinfo=UTC))
    (op,) = result.operations
    assert op.start == datetime(2026, 11, 30, 13, 30, tzinfo=UTC)  # 14:30 Paris
    assert op.end == datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


def test_weighted_tardiness_puts_the_heavier_late_order_first() -> None:
    center = WorkCenterToPlan("CUT", 1, WorkCalendar.from_spec(None))
    due = MONDAY + timedelta(hours=4)
    light = OrderToPlan("LIGHT", "X", Decimal(1), (RoutingStep(10, "CUT", 0, 180),), due=due)
    heavy = OrderToPlan(
        "HEAVY", "X", Decimal(1), (RoutingStep(10, "CUT", 0, 180),), due=due, weight=3
    )
    result = plan([light, heavy], [center], MONDAY, "tardiness", 2)
    first = min(result.operations, key=lambda op: op.start)
    assert first.order_id == "HEAVY"
    assert result.status == "optimal"


def test_an_operation_longer_than_any_shift_is_refused_with_its_name() -> None:
    center = WorkCenterToPlan("CUT", 1, DAY_SHIFT)
    order = OrderToPlan("A", "BIKE", Decimal(1), (RoutingStep(10, "CUT", 30, 600),))
    with pytest.raises(PlanningError) as refused:
        plan([order], [center], MONDAY)
    assert refused.value.details == {"operations": ["A/10"]}


def test_the_verifier_rejects_operations_in_unavailable_time() -> None:
    problem = Problem((Job("A", (Operation("M", 10),)),), {"M": 1}, {"M": ((5, 20),)})
    good = dispatch(problem)
    assert verify(problem, good) == []
    assert good.operations[0].start == 20
    good.operations[0] = type(good.operations[0])("A", 0, "M", 0, 10)
    assert any("unavailable" in e for e in verify(problem, good))


@pytest.mark.parametrize("seed", range(30))
def test_the_capacity_profile_finds_the_earliest_fit_a_scan_finds(seed: int) -> None:
    rng = random.Random(seed)
    capacity = rng.randint(1, 3)
    profile = CapacityProfile(capacity, [(rng.randint(0, 50), rng.randint(50, 80))])
    load = [capacity if profile.earliest_fit(t, 1) != t else 0 for t in range(1000)]
    for _ in range(25):
        earliest, duration = rng.randint(0, 100), rng.randint(0, 20)
        expected = next(
            t
            for t in range(earliest, 900)
            if duration == 0 or all(load[u] < capacity for u in range(t, t + duration))
        )
        assert profile.earliest_fit(earliest, duration) == expected
        profile.reserve(expected, expected + duration)
        for u in range(expected, expected + duration):
            load[u] += 1
