"""Forecast consumption: customer orders use up the forecast of their bucket, not add to it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from services.production.domain.mrp.model import Bucket, Demand


def consume_forecasts(
    forecasts: Iterable[Demand], orders: Iterable[Demand], start: date, bucket: Bucket
) -> list[Demand]:
    """The forecast lines left once each bucket's orders of the same sku are taken off them.

    A bucket's forecast is what the planner expects to sell in it, orders included: only the part
    orders have not yet claimed is demand of its own. Forecast lines are used up earliest first.
    """
    step = 7 if bucket == "week" else 1

    def key(line: Demand) -> tuple[str, int]:
        return line.sku, max((line.date - start).days, 0) // step

    ordered: dict[tuple[str, int], Decimal] = {}
    for order in orders:
        ordered[key(order)] = ordered.get(key(order), Decimal(0)) + order.quantity
    left: list[Demand] = []
    for line in sorted(forecasts, key=lambda f: (f.date, f.source)):
        claimed = ordered.get(key(line), Decimal(0))
        taken = min(claimed, line.quantity)
        if taken:
            ordered[key(line)] = claimed - taken
        if line.quantity > taken:
            left.append(replace(line, quantity=line.quantity - taken))
    return left
