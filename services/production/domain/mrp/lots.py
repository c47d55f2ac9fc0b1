"""Lot sizing: from a net requirement to an order quantity."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from services.production.domain.mrp.model import LotSizing


def round_up(quantity: Decimal, step: Decimal) -> Decimal:
    """The smallest multiple of `step` that is at least `quantity` (step 0: unchanged)."""
    if step <= 0:
        return quantity
    return (quantity / step).to_integral_value(rounding=ROUND_CEILING) * step


def order_quantity(net: Decimal, lot: LotSizing, quantum: Decimal) -> Decimal:
    """The quantity to order for a net requirement `net` > 0, rounded up to `quantum`."""
    if lot.rule == "fixed" and lot.quantity > 0:
        net = round_up(net, lot.quantity)
    elif lot.rule == "min_multiple":
        net = round_up(max(net, lot.minimum), lot.multiple)
    return net.quantize(quantum, rounding=ROUND_CEILING)
