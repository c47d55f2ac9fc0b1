"""Receiving arithmetic: how much a purchase order line may still take, and the order's status."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

OVER_RECEIPT_TOLERANCE = Decimal("0.05")


def receivable(
    ordered: Decimal, received: Decimal, tolerance: Decimal = OVER_RECEIPT_TOLERANCE
) -> Decimal:
    """The most that may still arrive on a line: the ordered quantity plus the tolerance, less what came."""
    return max(ordered * (1 + tolerance) - received, Decimal(0))


def status_after_receipt(lines: Iterable[tuple[Decimal, Decimal]]) -> str:
    """`received` once every line (ordered, received) is complete, otherwise `partially_received`."""
    return (
        "received"
        if all(received >= ordered for ordered, received in lines)
        else "partially_received"
    )
