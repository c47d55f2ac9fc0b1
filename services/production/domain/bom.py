"""Bill-of-materials arithmetic: multi-level explosion, where-used and cycle detection (no I/O)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from shared.numbers import quantize

# A real product structure is never this deep; deeper means a cycle slipped through.
MAX_LEVELS = 50


@dataclass(frozen=True)
class ComponentSpec:
    """A component line: `quantity` of `sku` per `output_quantity` of the parent, plus scrap."""

    sku: str
    quantity: Decimal
    scrap_factor: Decimal = Decimal(0)


@dataclass(frozen=True)
class BomSpec:
    """The structure of one product: what its output quantity is made of."""

    product_sku: str
    components: Sequence[ComponentSpec]
    output_quantity: Decimal = Decimal(1)
    bom_id: str | None = None
    version: int | None = None


@dataclass(frozen=True)
class ExplodedLine:
    """One line of an indented explosion: `quantity` of `sku` (scrap included) at `level`."""

    level: int
    sku: str
    parent_sku: str
    quantity: Decimal
    quantity_per: Decimal
    scrap_factor: Decimal
    has_bom: bool
    path: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Usage:
    """One line of a where-used (implosion): `parent_sku` uses `sku`, `level` steps up."""

    level: int
    sku: str
    parent_sku: str
    quantity_per: Decimal
    bom_id: str | None
    version: int | None


class BomCycle(ValueError):
    """A product would contain itself; `path` runs from it back to itself."""

    def __init__(self, path: Sequence[str]) -> None:
        super().__init__(" -> ".join(path))
        self.path = list(path)


def component_quantity(parent_quantity: Decimal, bom: BomSpec, line: ComponentSpec) -> Decimal:
    """How much of a component `parent_quantity` of the parent needs, scrap included."""
    return quantize(parent_quantity / bom.output_quantity * line.quantity * (1 + line.scrap_factor))


def explode(product_sku: str, quantity: Decimal, boms: Mapping[str, BomSpec]) -> list[ExplodedLine]:
    """The indented, multi-level explosion of `quantity` of a product, depth first in BOM order.

    `boms` maps a sku to the BOM that applies (the effective version); skus without one are
    bought or made without a structure and end their branch.
    """
    lines: list[ExplodedLine] = []

    def walk(sku: str, needed: Decimal, level: int, path: tuple[str, ...]) -> None:
        bom = boms.get(sku)
        if bom is None:
            return
        for line in bom.components:
            line_path = (*path, line.sku)
            if line.sku in path:
                raise BomCycle(line_path)
            if level > MAX_LEVELS:
                raise BomCycle(line_path)
            line_quantity = component_quantity(needed, bom, line)
            lines.append(
                ExplodedLine(
                    level=level,
                    sku=line.sku,
                    parent_sku=sku,
                    quantity=line_quantity,
                    quantity_per=line.quantity / bom.output_quantity,
                    scrap_factor=line.scrap_factor,
                    has_bom=line.sku in boms,
                    path=line_path,
                )
            )
            walk(line.sku, line_quantity, level + 1, line_path)

    walk(product_sku, quantity, 1, (product_sku,))
    return lines


def direct_components(
    product_sku: str, quantity: Decimal, boms: Mapping[str, BomSpec]
) -> list[tuple[str, Decimal]]:
    """What making `quantity` of a product consumes directly (its first level), per sku."""
    return total_requirements(
        line for line in explode(product_sku, quantity, boms) if line.level == 1
    )


def total_requirements(lines: Iterable[ExplodedLine]) -> list[tuple[str, Decimal]]:
    """Quantities summed per sku, in order of first appearance."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        totals[line.sku] = totals.get(line.sku, Decimal(0)) + line.quantity
    return list(totals.items())


def leaf_requirements(
    product_sku: str, quantity: Decimal, boms: Mapping[str, BomSpec]
) -> list[tuple[str, Decimal]]:
    """The bought (structure-less) items `quantity` of a product needs through every level."""
    return total_requirements(
        line for line in explode(product_sku, quantity, boms) if not line.has_bom
    )


def where_used(sku: str, boms: Mapping[str, BomSpec]) -> list[Usage]:
    """Every product that uses `sku`, directly (level 1) or through its parents (level 2, ...)."""
    parents: dict[str, list[tuple[BomSpec, ComponentSpec]]] = {}
    for bom in boms.values():
        for line in bom.components:
            parents.setdefault(line.sku, []).append((bom, line))
    usages: list[Usage] = []

    def walk(child: str, level: int, path: tuple[str, ...]) -> None:
        for bom, line in parents.get(child, []):
            if bom.product_sku in path or level > MAX_LEVELS:
                raise BomCycle((*path, bom.product_sku))
            usages.append(
                Usage(
                    level=level,
                    sku=child,
                    parent_sku=bom.product_sku,
                    quantity_per=line.quantity / bom.output_quantity,
                    bom_id=bom.bom_id,
                    version=bom.version,
                )
            )
            walk(bom.product_sku, level + 1, (*path, bom.product_sku))

    walk(sku, 1, (sku,))
    return usages


def find_cycle(product_sku: str, boms: Mapping[str, BomSpec]) -> list[str] | None:
    """The path by which `product_sku` contains itself in `boms`, or None if it does not."""
    finished: set[str] = set()

    def visit(sku: str, path: tuple[str, ...]) -> list[str] | None:
        bom = boms.get(sku)
        if bom is None or sku in finished:
            return None
        for line in bom.components:
            if line.sku == product_sku:
                return [*path, line.sku]
            if line.sku in path:
                continue  # a cycle that does not pass through product_sku: not ours to report
            found = visit(line.sku, (*path, line.sku))
            if found:
                return found
        finished.add(sku)
        return None

    return visit(product_sku, (product_sku,))
