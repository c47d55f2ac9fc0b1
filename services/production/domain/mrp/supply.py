"""Every kind of supply of each sku, side by side, as one MRP run saw and planned it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from services.production.domain.mrp.model import MrpInput, MrpResult, SupplyKind

ZERO = Decimal(0)


@dataclass
class SkuSupply:
    """What stands between a sku's requirements and a new order: stock, then each open order kind,
    then what the run planned."""

    sku: str
    on_hand: Decimal = ZERO
    allocated: Decimal = ZERO
    quantities: dict[SupplyKind, Decimal] = field(default_factory=dict)
    planned_orders: Decimal = ZERO
    sources: list[str] = field(default_factory=list)
    """The open orders counted, in date order (`purchase-order:<id>`, ...)."""

    def of(self, kind: SupplyKind) -> Decimal:
        """The open quantity of one kind of supply."""
        return self.quantities.get(kind, ZERO)


def supply_by_sku(data: MrpInput, result: MrpResult) -> list[SkuSupply]:
    """Each sku with any supply or planned order, in sku order."""
    found: dict[str, SkuSupply] = {}

    def of(sku: str) -> SkuSupply:
        known = found.get(sku)
        if known is None:
            known = found[sku] = SkuSupply(sku)
        return known

    for sku, quantity in data.on_hand.items():
        if quantity:
            of(sku).on_hand = quantity
    for sku, quantity in data.allocated.items():
        if quantity:
            of(sku).allocated = quantity
    for receipt in sorted(data.receipts, key=lambda r: (r.date, r.source)):
        if receipt.quantity > 0:
            supply = of(receipt.sku)
            supply.quantities[receipt.kind] = supply.of(receipt.kind) + receipt.quantity
            supply.sources.append(receipt.source)
    for order in result.planned_orders:
        of(order.sku).planned_orders += order.quantity
    return [found[sku] for sku in sorted(found)]
