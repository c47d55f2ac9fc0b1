"""Just in time: a feasible plan's operations moved as late as they can go toward due dates.

Operations are taken from the latest end backwards; each moves right as far as its order's due
date (the last operation) or its successor's start allows, inside one stretch of its work
center's working time and never beyond the work center's capacity. Nothing moves earlier, so an
order is never later than in the plan it came from; orders without a due date stay where they are.
"""

from __future__ import annotations

from dataclasses import replace

from services.production.domain.scheduling.plan import (
    OrderToPlan,
    Plan,
    WorkCenterToPlan,
)
from services.production.domain.scheduling.working_time import (
    instant_at,
    minutes_between,
    working_stretches,
)

MINUTES_PER_DAY = 24 * 60


def _fits(
    start: int,
    length: int,
    stretches: list[tuple[int, int]],
    others: list[tuple[int, int]],
    capacity: int,
) -> bool:
    if length > 0 and not any(a <= start and start + length <= b for a, b in stretches):
        return False
    end = start + length
    overlapping = [(a, b) for a, b in others if a < end and b > start]
    if len(overlapping) < capacity:
        return True
    events = sorted(
        [(max(a, start), 1) for a, _ in overlapping] + [(min(b, end), -1) for _, b in overlapping]
    )
    running = 0
    for _, change in events:
        running += change
        if running >= capacity:
            return False
    return True


def as_late_as_possible(
    result: Plan,
    orders: list[OrderToPlan],
    work_centers: list[WorkCenterToPlan],
    consumers: dict[str, list[str]] | None = None,
) -> Plan:
    """The plan with every operation as late as its order's due date lets it be (and, for a
    sub-assembly order, the first operation of the orders that consume it)."""
    consumers = consumers or {}
    origin = result.origin
    by_order = {order.order_id: order for order in orders}
    centers = {center.code: center for center in work_centers}
    spans = {
        (op.order_id, op.sequence): (
            minutes_between(origin, op.start),
            minutes_between(origin, op.end),
        )
        for op in result.operations
    }
    chains: dict[str, list[int]] = {}
    for op in result.operations:
        chains.setdefault(op.order_id, []).append(op.sequence)
    for sequences in chains.values():
        sequences.sort()
    dues = {
        order_id: minutes_between(origin, order.due)
        for order_id, order in by_order.items()
        if order.due is not None
    }
    window = max([end for _, end in spans.values()] + list(dues.values()) + [0]) + MINUTES_PER_DAY
    stretches = {
        code: working_stretches(origin, window, center.calendar, list(center.downtime))
        for code, center in centers.items()
    }
    ops = {(op.order_id, op.sequence): op for op in result.operations}
    for key in sorted(spans, key=lambda k: spans[k][1], reverse=True):
        order_id, sequence = key
        if order_id not in dues or order_id not in by_order:
            continue
        start, end = spans[key]
        length = end - start
        chain = chains[order_id]
        position = chain.index(sequence)
        if position + 1 < len(chain):
            latest_end = spans[(order_id, chain[position + 1])][0]
        else:
            latest_end = max(dues[order_id], end)
            for consumer in consumers.get(order_id, ()):
                if consumer in chains:
                    latest_end = min(latest_end, spans[(consumer, chains[consumer][0])][0])
        if latest_end <= end:
            continue
        code = ops[key].work_center
        center = centers.get(code)
        if center is None:
            continue
        others = [spans[k] for k, op in ops.items() if op.work_center == code and k != key]
        candidates = {latest_end - length}
        candidates.update(a - length for a, _ in others)
        candidates.update(b - length for _, b in stretches[code])
        for candidate in sorted(
            (c for c in candidates if start < c <= latest_end - length), reverse=True
        ):
            if _fits(candidate, length, stretches[code], others, center.capacity):
                spans[key] = (candidate, candidate + length)
                break
    moved = [
        replace(op, start=instant_at(origin, spans[key][0]), end=instant_at(origin, spans[key][1]))
        for key, op in ops.items()
    ]
    moved.sort(key=lambda o: (o.start, o.work_center, o.order_id, o.sequence))
    return replace(
        result,
        operations=moved,
        makespan_minutes=max((end for _, end in spans.values()), default=0),
    )
