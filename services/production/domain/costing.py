"""Standard cost roll-up through BOM levels, and an order's actual cost against it (no I/O).

Conversion cost is work-center time: setup once per batch plus run time per unit, at the
work center's hourly cost. Overhead is a rate applied to conversion cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from services.production.domain.bom import BomSpec

ZERO = Decimal(0)
MINUTES_PER_HOUR = Decimal(60)
# A real product structure is never this deep; deeper means a cycle slipped through.
MAX_LEVELS = 50


@dataclass(frozen=True)
class RoutingStep:
    """An operation of a product's routing."""

    work_center: str
    setup_minutes: Decimal
    run_minutes_per_unit: Decimal


@dataclass(frozen=True)
class Cost:
    """A cost split into material, labour (work-center time) and overhead."""

    material: Decimal = ZERO
    labour: Decimal = ZERO
    overhead: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.material + self.labour + self.overhead

    def __add__(self, other: Cost) -> Cost:
        return Cost(
            self.material + other.material,
            self.labour + other.labour,
            self.overhead + other.overhead,
        )

    def __sub__(self, other: Cost) -> Cost:
        return Cost(
            self.material - other.material,
            self.labour - other.labour,
            self.overhead - other.overhead,
        )


@dataclass(frozen=True)
class CostLine:
    """One node of a roll-up: `quantity` of `sku` at `level`, this level's own cost and the total."""

    level: int
    sku: str
    quantity: Decimal
    own: Cost
    """Bought: its material; made: its own conversion and overhead (components excluded)."""
    total: Cost
    """Everything down the levels below it, split by kind."""


@dataclass(frozen=True)
class CostModel:
    """What costs are built from."""

    standard_costs: Mapping[str, Decimal]
    boms: Mapping[str, BomSpec]
    routings: Mapping[str, Sequence[RoutingStep]]
    hourly_costs: Mapping[str, Decimal]
    overhead_rate: Decimal

    def conversion(self, sku: str, quantity: Decimal) -> Cost:
        """Work-center time of a batch of `quantity` of a product, and its overhead."""
        labour = ZERO
        for step in self.routings.get(sku, ()):
            minutes = step.setup_minutes + step.run_minutes_per_unit * quantity
            labour += minutes * self.hourly_costs.get(step.work_center, ZERO) / MINUTES_PER_HOUR
        return Cost(ZERO, labour, labour * self.overhead_rate)


def per_unit(bom: BomSpec, quantity: Decimal, scrap_factor: Decimal) -> Decimal:
    """A component line's quantity per unit of the product, scrap included."""
    return quantity * (1 + scrap_factor) / bom.output_quantity


def roll_up(model: CostModel, sku: str, quantity: Decimal) -> list[CostLine]:
    """The standard cost of making `quantity` of `sku`, as an indented list (the product first).

    A made item's components are costed at their own roll-up (their conversion included, split
    by kind); a bought item, or one without a BOM, at its standard cost.
    """
    lines: list[CostLine] = []

    def visit(sku: str, quantity: Decimal, level: int) -> Cost:
        if level > MAX_LEVELS:
            raise ValueError(f"BOM of {sku} is deeper than {MAX_LEVELS} levels")
        bom = model.boms.get(sku)
        index = len(lines)
        lines.append(CostLine(level, sku, quantity, Cost(), Cost()))
        if bom is None:
            own = Cost(material=model.standard_costs.get(sku, ZERO) * quantity)
            total = own
        else:
            own = model.conversion(sku, quantity)
            total = own
            for line in bom.components:
                needed = quantity * per_unit(bom, line.quantity, line.scrap_factor)
                total = total + visit(line.sku, needed, level + 1)
        lines[index] = CostLine(level, sku, quantity, own, total)
        return total

    visit(sku, quantity, 0)
    return lines


def order_standard(
    model: CostModel, sku: str, quantity: Decimal, component_unit_costs: Mapping[str, Decimal]
) -> Cost:
    """An order's standard cost at one level: its direct components at their full standard unit
    cost (as material, which is how their issue is valued) plus its own conversion and overhead."""
    bom = model.boms.get(sku)
    material = ZERO
    if bom is not None:
        for line in bom.components:
            needed = quantity * per_unit(bom, line.quantity, line.scrap_factor)
            material += needed * component_unit_costs.get(line.sku, ZERO)
    return model.conversion(sku, quantity) + Cost(material=material)
