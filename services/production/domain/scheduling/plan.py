"""Plans of real production orders on real work centers: calendars, downtime, dates, weights.

Turns orders (each a chain of routing steps) and work centers (capacity, calendar, downtime)
into a scheduling problem in minutes from an origin instant, solves it, and turns the answer
back into dated operations.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from services.production.domain.scheduling.dispatching import dispatch
from services.production.domain.scheduling.model import (
    Job,
    Objective,
    Operation,
    Problem,
    Schedule,
)
from services.production.domain.scheduling.solver import solve, solve_horizon
from services.production.domain.scheduling.verify import verify
from services.production.domain.scheduling.working_time import (
    instant_at,
    minutes_between,
    unavailable_periods,
    working_stretches,
)
from shared.calendars import Interval, WorkCalendar

MINUTES_PER_DAY = 24 * 60
FIRST_WINDOW_DAYS = 14
LONGEST_WINDOW_DAYS = 3 * 366


class PlanningError(ValueError):
    """The orders cannot be planned on these work centers (the message says why)."""

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.details = details


@dataclass(frozen=True)
class RoutingStep:
    """One operation of an order: setup then run (for the whole quantity) on a work center."""

    sequence: int
    work_center: str
    setup_minutes: int
    run_minutes: int

    @property
    def minutes(self) -> int:
        return self.setup_minutes + self.run_minutes


@dataclass(frozen=True)
class MaterialHold:
    """A component an order is short of and when it is expected (its release waits for it)."""

    sku: str
    expected: datetime
    source: str = ""
    """What brings it: a purchase order's or production order's number, or `lead time`."""


@dataclass(frozen=True)
class OrderToPlan:
    """A released production order with its routing."""

    order_id: str
    product_sku: str
    quantity: Decimal
    steps: tuple[RoutingStep, ...]
    release: datetime | None = None
    due: datetime | None = None
    weight: int = 1
    materials: tuple[MaterialHold, ...] = ()
    """Components it waits for; `release` is no earlier than the last of them."""
    after: tuple[str, ...] = ()
    """Sub-assembly orders it consumes: it starts after their last operation ends."""


@dataclass(frozen=True)
class WorkCenterToPlan:
    """A work center: parallel units, working calendar and recorded downtime."""

    code: str
    capacity: int
    calendar: WorkCalendar
    downtime: tuple[Interval, ...] = ()


@dataclass(frozen=True)
class PlannedOperation:
    order_id: str
    product_sku: str
    quantity: Decimal
    sequence: int
    work_center: str
    start: datetime
    end: datetime
    setup_minutes: int
    run_minutes: int


@dataclass
class Plan:
    """A solved plan with dated operations."""

    origin: datetime
    objective: Objective
    status: str
    lower_bound: int
    makespan_minutes: int
    tardiness: int
    operations: list[PlannedOperation]


def run_minutes(per_unit: Decimal, quantity: Decimal) -> int:
    """Run time for a quantity, rounded up to whole minutes."""
    return math.ceil(per_unit * quantity)


def _problem(
    orders: list[OrderToPlan],
    centers: dict[str, WorkCenterToPlan],
    origin: datetime,
    window: int,
) -> tuple[Problem, dict[str, int]]:
    """The problem with calendars laid out over [0, window); also each machine's longest stretch."""
    unavailable = {}
    longest = {}
    for code, center in centers.items():
        stretches = working_stretches(origin, window, center.calendar, list(center.downtime))
        unavailable[code] = unavailable_periods(stretches, window)
        longest[code] = max((end - start for start, end in stretches), default=0)
    jobs = tuple(
        Job(
            order.order_id,
            tuple(Operation(step.work_center, step.minutes) for step in order.steps),
            max(0, minutes_between(origin, order.release)) if order.release else 0,
            minutes_between(origin, order.due) if order.due else None,
            order.weight,
        )
        for order in orders
    )
    return Problem(jobs, {c: w.capacity for c, w in centers.items()}, unavailable), longest


def _check(orders: list[OrderToPlan], centers: dict[str, WorkCenterToPlan]) -> None:
    unknown = sorted(
        {s.work_center for o in orders for s in o.steps if s.work_center not in centers}
    )
    if unknown:
        raise PlanningError("Routings name unknown work centers", unknown_work_centers=unknown)


def plan(
    orders: list[OrderToPlan],
    work_centers: list[WorkCenterToPlan],
    origin: datetime,
    objective: Objective = "makespan",
    time_limit_seconds: float = 10.0,
) -> Plan:
    """Schedule the orders' operations inside their work centers' working time."""
    began = time.monotonic()
    centers = {c.code: c for c in work_centers}
    _check(orders, centers)
    # Lay the calendars out far enough for the dispatch schedule and the solver's horizon.
    window = FIRST_WINDOW_DAYS * MINUTES_PER_DAY
    while True:
        problem, longest = _problem(orders, centers, origin, window)
        too_long = sorted(
            f"{o.order_id}/{s.sequence}"
            for o in orders
            for s in o.steps
            if s.minutes > longest[s.work_center]
        )
        if too_long:
            raise PlanningError(
                "Operations longer than any stretch of working time on their work center",
                operations=too_long,
            )
        fallback = dispatch(problem, objective)
        needed = solve_horizon(problem, objective, fallback)
        if needed <= window:
            break
        if window >= LONGEST_WINDOW_DAYS * MINUTES_PER_DAY:
            raise PlanningError("Not enough working time within three years")
        window = max(window * 2, needed)
    remaining = time_limit_seconds - (time.monotonic() - began)
    schedule = solve(problem, objective, remaining, fallback=fallback)
    errors = verify(problem, schedule)
    if errors:
        raise RuntimeError(f"schedule failed verification: {errors[:3]}")
    return _dated(orders, origin, objective, problem, schedule)


def _dated(
    orders: list[OrderToPlan],
    origin: datetime,
    objective: Objective,
    problem: Problem,
    schedule: Schedule,
) -> Plan:
    placed = {(op.job_id, op.index): op for op in schedule.operations}
    operations = []
    for order in orders:
        for index, step in enumerate(order.steps):
            op = placed[(order.order_id, index)]
            operations.append(
                PlannedOperation(
                    order.order_id,
                    order.product_sku,
                    order.quantity,
                    step.sequence,
                    step.work_center,
                    instant_at(origin, op.start),
                    instant_at(origin, op.end),
                    step.setup_minutes,
                    step.run_minutes,
                )
            )
    operations.sort(key=lambda o: (o.start, o.work_center, o.order_id, o.sequence))
    return Plan(
        origin=origin,
        objective=objective,
        status=schedule.status,
        lower_bound=schedule.lower_bound,
        makespan_minutes=schedule.makespan,
        tardiness=schedule.weighted_tardiness(problem),
        operations=operations,
    )
