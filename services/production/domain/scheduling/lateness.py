"""Why an order in a plan ends after its due date: a material, a bottleneck, or the date itself."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from services.production.domain.scheduling.plan import OrderToPlan, Plan, PlannedOperation

LateReason = Literal["material", "work_center", "due_date"]


@dataclass(frozen=True)
class LateOrder:
    """An order the plan finishes late, by how much, and what held it."""

    order_id: str
    due: datetime
    end: datetime
    minutes_late: int
    reason: LateReason
    sku: str | None = None
    expected: datetime | None = None
    source: str | None = None
    work_center: str | None = None


def late_orders(plan: Plan, orders: list[OrderToPlan]) -> list[LateOrder]:
    """Each late order with the constraint that held it: a material it waited for (when it could
    not start before the material arrived), else the work center it waited longest for, else its
    due date itself (even without waiting it cannot be made in time)."""
    placed: dict[str, list[PlannedOperation]] = defaultdict(list)
    for op in plan.operations:
        placed[op.order_id].append(op)
    found = []
    for order in orders:
        ops = sorted(placed.get(order.order_id, []), key=lambda op: op.sequence)
        if not ops or order.due is None:
            continue
        end = ops[-1].end
        if end <= order.due:
            continue
        late = int((end - order.due) / timedelta(minutes=1))
        held = max(order.materials, key=lambda m: m.expected, default=None)
        if held is not None and held.expected > plan.origin:
            found.append(
                LateOrder(
                    order.order_id,
                    order.due,
                    end,
                    late,
                    "material",
                    sku=held.sku,
                    expected=held.expected,
                    source=held.source,
                )
            )
            continue
        ready = max(plan.origin, order.release or plan.origin)
        waits: dict[str, timedelta] = defaultdict(timedelta)
        for op in ops:
            if op.start > ready:
                waits[op.work_center] += op.start - ready
            ready = max(ready, op.end)
        worst = max(waits, key=lambda code: waits[code], default=None)
        if worst is not None and waits[worst] >= timedelta(minutes=1):
            found.append(
                LateOrder(order.order_id, order.due, end, late, "work_center", work_center=worst)
            )
        else:
            found.append(LateOrder(order.order_id, order.due, end, late, "due_date"))
    return found
