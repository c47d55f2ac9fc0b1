"""Orders for sub-assemblies and the orders that consume them, scheduled together.

A consuming order waits for the sub-assembly orders it needs (`after`): its first operation
starts after their last ends. Orders are planned level by level, sub-assemblies first; each level
plans on the work-center time the levels before it left, and is released when what it waits
for is done. The time limit is shared among the levels.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from services.production.domain.scheduling.backward import as_late_as_possible
from services.production.domain.scheduling.model import Objective
from services.production.domain.scheduling.plan import (
    OrderToPlan,
    Plan,
    PlannedOperation,
    WorkCenterToPlan,
)
from services.production.domain.scheduling.progress import StartedStep, plan_around_progress
from services.production.domain.scheduling.working_time import minutes_between


def levels_of(orders: list[OrderToPlan], after: dict[str, set[str]]) -> dict[str, int]:
    """0 for an order that waits for no other, else one more than the deepest it waits for
    (links to orders not planned, or in a cycle, are ignored)."""
    ids = {order.order_id for order in orders}
    found: dict[str, int] = {}

    def level(order_id: str, seen: frozenset[str]) -> int:
        if order_id in found:
            return found[order_id]
        before = [p for p in after.get(order_id, ()) if p in ids and p not in seen]
        depth = 1 + max((level(p, seen | {order_id}) for p in before), default=-1)
        found[order_id] = depth
        return depth

    for order in orders:
        level(order.order_id, frozenset())
    return found


def plan_with_sub_assemblies(
    orders: list[OrderToPlan],
    work_centers: list[WorkCenterToPlan],
    started: list[StartedStep],
    origin: datetime,
    objective: Objective = "makespan",
    time_limit_seconds: float = 10.0,
    just_in_time: bool = False,
) -> Plan:
    """Plan the orders so that each starts after the sub-assembly orders it waits for."""
    after = {order.order_id: set(order.after) for order in orders if order.after}
    levels = levels_of(orders, after)
    deepest = max(levels.values(), default=0)
    if deepest == 0:
        return plan_around_progress(
            orders, work_centers, started, origin, objective, time_limit_seconds, just_in_time
        )
    share = time_limit_seconds / (deepest + 1)
    centers = {center.code: center for center in work_centers}
    operations: list[PlannedOperation] = []
    ends: dict[str, datetime] = {}
    statuses = []
    for depth in range(deepest + 1):
        level = []
        for order in orders:
            if levels[order.order_id] != depth:
                continue
            ready = [ends[p] for p in after.get(order.order_id, ()) if p in ends]
            if ready and (order.release is None or order.release < max(ready)):
                order = replace(order, release=max(ready))
            level.append(order)
        held = [
            replace(center, downtime=(*center.downtime, *busy))
            if (busy := [(op.start, op.end) for op in operations if op.work_center == code])
            else center
            for code, center in centers.items()
        ]
        planned_ids = {order.order_id for order in level}
        result = plan_around_progress(
            level,
            held,
            [s for s in started if s.order_id in planned_ids],
            origin,
            objective,
            share,
        )
        statuses.append(result.status)
        operations.extend(result.operations)
        for op in result.operations:
            ends[op.order_id] = max(ends.get(op.order_id, op.end), op.end)
    merged = Plan(
        origin=origin,
        objective=objective,
        status="optimal" if all(s == "optimal" for s in statuses) else "feasible",
        lower_bound=0,
        makespan_minutes=max((minutes_between(origin, op.end) for op in operations), default=0),
        tardiness=_weighted_tardiness(orders, ends, origin),
        operations=sorted(
            operations, key=lambda o: (o.start, o.work_center, o.order_id, o.sequence)
        ),
    )
    if just_in_time:
        consumers: dict[str, list[str]] = {}
        for consumer, before in after.items():
            for p in before:
                consumers.setdefault(p, []).append(consumer)
        merged = as_late_as_possible(merged, orders, work_centers, consumers)
    return merged


def _weighted_tardiness(
    orders: list[OrderToPlan], ends: dict[str, datetime], origin: datetime
) -> int:
    total = 0
    for order in orders:
        end = ends.get(order.order_id)
        if order.due is not None and end is not None and end > order.due:
            total += order.weight * (
                minutes_between(origin, end) - minutes_between(origin, order.due)
            )
    return total
