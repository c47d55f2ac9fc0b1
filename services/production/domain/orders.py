"""The life of a production order and its actual unit cost (no I/O)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from shared.numbers import quantize

# Which statuses each action may start from.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "release": frozenset({"planned"}),
    "start": frozenset({"released"}),
    "complete": frozenset({"released", "in_progress"}),
    "cancel": frozenset({"planned", "released", "in_progress"}),
}
RESULT: dict[str, str] = {
    "release": "released",
    "start": "in_progress",
    "complete": "completed",
    "cancel": "cancelled",
}


def can(action: str, status: str) -> bool:
    """Whether an order in `status` may take `action`."""
    return status in ALLOWED_FROM[action]


def unit_cost(
    components: Iterable[tuple[str, Decimal]],
    standard_costs: Mapping[str, Decimal],
    labour: Iterable[tuple[Decimal, Decimal]],
    good_quantity: Decimal,
) -> Decimal:
    """Actual cost per good unit: components at standard cost plus the worked minutes at each
    work center's hourly cost, spread over the good output (0 when nothing good came out)."""
    if good_quantity <= 0:
        return Decimal(0)
    material = sum(
        (qty * standard_costs.get(sku, Decimal(0)) for sku, qty in components), Decimal(0)
    )
    work = sum((minutes * per_hour / 60 for minutes, per_hour in labour), Decimal(0))
    return quantize((material + work) / good_quantity)
