"""The shop floor's rules as plain functions: when a task is ready, how much may be reported.

A task waits for the operation before it in its order (all of its quantity, or the overlap
quantity the routing allows) and for its order's materials to be reserved. What reached an
operation is what the one before made good (the order quantity for the first); reports on it may
exceed that by the work center's tolerance, no more.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shared.numbers import quantize

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Operation:
    """What the rules need of an operation of the same order."""

    sequence: int
    work_center: str
    status: str
    quantity: Decimal
    reported_good: Decimal


@dataclass(frozen=True)
class Wait:
    """Something a task waits for before it may start."""

    kind: str
    sequence: int | None = None
    work_center: str | None = None
    reported: Decimal | None = None
    needed: Decimal | None = None
    materials_status: str | None = None


def needed_from_previous(previous: Operation, overlap_quantity: Decimal | None) -> Decimal:
    """Good units the previous operation must report before the next may start."""
    if overlap_quantity is None:
        return previous.quantity
    return min(overlap_quantity, previous.quantity)


def waits(
    previous: Operation | None, overlap_quantity: Decimal | None, materials_status: str | None
) -> list[Wait]:
    """What a task still waits for: nothing when it is ready."""
    found = []
    if previous is not None and previous.status != "completed":
        needed = needed_from_previous(previous, overlap_quantity)
        if previous.reported_good < needed:
            found.append(
                Wait(
                    kind="previous_operation",
                    sequence=previous.sequence,
                    work_center=previous.work_center,
                    reported=previous.reported_good,
                    needed=needed,
                )
            )
    if materials_status != "reserved":
        found.append(Wait(kind="materials", materials_status=materials_status or "unknown"))
    return found


def reached(previous: Operation | None, order_quantity: Decimal) -> Decimal:
    """The quantity that reached an operation: the previous one's good units, or the order's."""
    return order_quantity if previous is None else previous.reported_good


def report_limit(reached_quantity: Decimal, tolerance_percent: Decimal) -> Decimal:
    """The most good plus scrap an operation may report: what reached it, plus the tolerance."""
    return quantize(reached_quantity * (1 + tolerance_percent / HUNDRED))
