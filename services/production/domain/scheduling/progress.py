"""Operations the shop floor has started stay where they are when a schedule is made again.

A started operation keeps its actual start and is expected to take its planned minutes; it holds
its work center until then (or until now, if it overran), and the order's later operations wait
for it. Completed operations are not planned at all (the order source leaves them out).
A started operation holds every unit of its work center: the plan never counts on a unit that
may be busy with it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from services.production.domain.scheduling.backward import as_late_as_possible
from services.production.domain.scheduling.model import Objective
from services.production.domain.scheduling.plan import (
    OrderToPlan,
    Plan,
    PlannedOperation,
    RoutingStep,
    WorkCenterToPlan,
    plan,
)
from services.production.domain.scheduling.working_time import minutes_between


@dataclass(frozen=True)
class StartedStep:
    """An operation of an order that the shop floor started and has not completed."""

    order_id: str
    step: RoutingStep
    started_at: datetime


@dataclass(frozen=True)
class FixedProgress:
    """What is left to plan once started operations are fixed, and those operations."""

    orders: list[OrderToPlan]
    work_centers: list[WorkCenterToPlan]
    fixed: list[PlannedOperation]


def expected_end(started: StartedStep, now: datetime) -> datetime:
    """When a started operation should finish: its planned minutes after its start, never
    before now (it is still running)."""
    return max(started.started_at + timedelta(minutes=started.step.minutes), now)


def fix_started(
    orders: list[OrderToPlan],
    work_centers: list[WorkCenterToPlan],
    started: list[StartedStep],
    origin: datetime,
) -> FixedProgress:
    """Take started operations out of the problem: each blocks its work center until its expected
    end, and the rest of its order is released no earlier than that."""
    if not started:
        return FixedProgress(orders, work_centers, [])
    by_order = {order.order_id: order for order in orders}
    held: dict[str, list[tuple[datetime, datetime]]] = {}
    releases: dict[str, datetime] = {}
    fixed = []
    for running in started:
        order = by_order.get(running.order_id)
        if order is None:
            continue
        end = expected_end(running, origin)
        held.setdefault(running.step.work_center, []).append((origin, end))
        releases[order.order_id] = max(end, releases.get(order.order_id, end))
        fixed.append(
            PlannedOperation(
                order.order_id,
                order.product_sku,
                order.quantity,
                running.step.sequence,
                running.step.work_center,
                running.started_at,
                end,
                running.step.setup_minutes,
                running.step.run_minutes,
            )
        )
    running_steps = {(s.order_id, s.step.sequence) for s in started}
    remaining = []
    for order in orders:
        steps = tuple(s for s in order.steps if (order.order_id, s.sequence) not in running_steps)
        if not steps:
            continue
        release = releases.get(order.order_id)
        if release is not None and (order.release is None or order.release < release):
            order = replace(order, release=release)
        remaining.append(replace(order, steps=steps))
    centers = [
        replace(center, downtime=(*center.downtime, *held[center.code]))
        if center.code in held
        else center
        for center in work_centers
    ]
    return FixedProgress(remaining, centers, fixed)


def plan_around_progress(
    orders: list[OrderToPlan],
    work_centers: list[WorkCenterToPlan],
    started: list[StartedStep],
    origin: datetime,
    objective: Objective = "makespan",
    time_limit_seconds: float = 10.0,
    just_in_time: bool = False,
) -> Plan:
    """`plan`, with the started operations fixed at their actual starts and kept in the result;
    just in time, the rest then moves as late as the due dates let it."""
    progress = fix_started(orders, work_centers, started, origin)
    if progress.orders:
        result = plan(progress.orders, progress.work_centers, origin, objective, time_limit_seconds)
        if just_in_time:
            result = as_late_as_possible(result, progress.orders, progress.work_centers)
    else:
        result = Plan(origin, objective, "optimal", 0, 0, 0, [])
    if not progress.fixed:
        return result
    operations = sorted(
        [*progress.fixed, *result.operations],
        key=lambda o: (o.start, o.work_center, o.order_id, o.sequence),
    )
    last_end = max(minutes_between(origin, op.end) for op in operations)
    return replace(
        result, operations=operations, makespan_minutes=max(result.makespan_minutes, last_end)
    )
