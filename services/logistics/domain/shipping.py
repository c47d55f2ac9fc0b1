"""Shipment states and delivery punctuality, without database or broker."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

SHIPMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    "dispatched": frozenset({"in_transit", "delivered", "exception"}),
    "in_transit": frozenset({"delivered", "exception"}),
    "exception": frozenset({"in_transit", "delivered"}),
    "delivered": frozenset(),
}


def can_move(current: str, target: str) -> bool:
    """Whether a shipment in `current` may go to `target`."""
    return target in SHIPMENT_TRANSITIONS.get(current, frozenset())


def on_time(delivered_at: datetime, due_date: date) -> bool:
    """Delivered on or before the due date (UTC)."""
    return delivered_at.date() <= due_date


class PartRefused(Exception):
    """A part to ship that the order cannot give: what is wrong, and the details."""

    def __init__(self, reason: str, **details: object) -> None:
        super().__init__(reason)
        self.details = details


def part_to_ship(
    open_quantities: dict[str, Decimal], requested: list[tuple[str, Decimal]] | None
) -> list[tuple[str, Decimal]]:
    """The quantities a shipment takes: everything open when nothing is named, else the named
    quantities, each on the order, named once, and at most what is still open of it."""
    if requested is None:
        part = [(sku, quantity) for sku, quantity in open_quantities.items() if quantity > 0]
        if not part:
            raise PartRefused("Nothing is left to ship on this delivery order.")
        return part
    skus = [sku for sku, _ in requested]
    twice = sorted({sku for sku in skus if skus.count(sku) > 1})
    if twice:
        raise PartRefused("A sku appears twice in the part to ship.", duplicate_skus=twice)
    unknown = sorted(sku for sku in skus if sku not in open_quantities)
    if unknown:
        raise PartRefused(
            f"The delivery order has no line for {', '.join(unknown)}.", unknown_skus=unknown
        )
    beyond = [
        {"sku": sku, "requested": _plain(quantity), "open": _plain(open_quantities[sku])}
        for sku, quantity in requested
        if quantity > open_quantities[sku]
    ]
    if beyond:
        first = beyond[0]
        raise PartRefused(
            f"Only {first['open']} of {first['sku']} is still open to ship; "
            f"{first['requested']} was asked.",
            beyond_open=beyond,
        )
    return list(requested)


def _plain(quantity: Decimal) -> str:
    """A quantity as a person writes it: 1, not 1.000000."""
    return format(quantity.normalize(), "f")
