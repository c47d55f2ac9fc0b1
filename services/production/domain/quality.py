"""Quality arithmetic: measurements against limits, first-pass yield, defect Pareto (no I/O)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from shared.numbers import quantize


@dataclass(frozen=True)
class Limits:
    """The acceptable range of a characteristic; a missing bound is open."""

    lower: Decimal | None = None
    upper: Decimal | None = None

    def accepts(self, value: Decimal) -> bool:
        """Whether a measured value is within the limits (bounds included)."""
        return (self.lower is None or value >= self.lower) and (
            self.upper is None or value <= self.upper
        )


def out_of_limits(
    measurements: Iterable[tuple[str, Decimal]], limits: Mapping[str, Limits]
) -> list[str]:
    """The characteristics whose measured value is outside its limits, in measurement order."""
    return [
        name for name, value in measurements if name in limits and not limits[name].accepts(value)
    ]


@dataclass(frozen=True)
class YieldLine:
    """First-pass yield of one product: orders whose first inspection passed, over those inspected."""

    product_sku: str
    orders_inspected: int
    passed_first_time: int
    inspections: int
    failed_inspections: int

    @property
    def first_pass_yield(self) -> Decimal:
        """Share of inspected orders that passed their first inspection (0 to 1)."""
        if not self.orders_inspected:
            return Decimal(0)
        return quantize(Decimal(self.passed_first_time) / self.orders_inspected)


def first_pass_yield(inspections: Iterable[tuple[str, str, str, int]]) -> list[YieldLine]:
    """Per product, from (product_sku, order_id, result, attempt): an order counts for the yield
    when its first inspection (attempt 1) is among those given."""
    firsts: dict[str, list[str]] = {}
    counts: dict[str, list[int]] = {}
    for product, _order, result, attempt in inspections:
        if attempt == 1:
            firsts.setdefault(product, []).append(result)
        total = counts.setdefault(product, [0, 0])
        total[0] += 1
        total[1] += result == "fail"
    return [
        YieldLine(
            product_sku=product,
            orders_inspected=len(firsts.get(product, [])),
            passed_first_time=sum(1 for r in firsts.get(product, []) if r == "pass"),
            inspections=counts[product][0],
            failed_inspections=counts[product][1],
        )
        for product in sorted(counts)
    ]


@dataclass(frozen=True)
class ParetoLine:
    """A defect code with its count, share and cumulative share of all defects."""

    code: str
    count: int
    share: Decimal
    cumulative_share: Decimal


def pareto(defects: Iterable[tuple[str, int]]) -> list[ParetoLine]:
    """Defect codes by count, most frequent first (ties by code), with cumulative shares."""
    totals: dict[str, int] = {}
    for code, count in defects:
        totals[code] = totals.get(code, 0) + count
    grand = sum(totals.values())
    lines: list[ParetoLine] = []
    running = 0
    for code, count in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])):
        running += count
        lines.append(
            ParetoLine(
                code=code,
                count=count,
                share=quantize(Decimal(count) / grand) if grand else Decimal(0),
                cumulative_share=quantize(Decimal(running) / grand) if grand else Decimal(0),
            )
        )
    return lines
