"""Low-level codes: each item's deepest level in any BOM, so it is planned after all its parents."""

from __future__ import annotations

from collections.abc import Iterable

from services.production.domain.mrp.model import BomEdge


class BomCycle(ValueError):
    """The BOMs contain an item that is, through some path, a component of itself."""

    def __init__(self, skus: list[str]) -> None:
        super().__init__(f"BOM cycle through {', '.join(sorted(skus)[:10])}")
        self.skus = skus


def low_level_codes(skus: Iterable[str], edges: Iterable[BomEdge]) -> dict[str, int]:
    """Return sku -> low-level code (0 for items that are nobody's component)."""
    children: dict[str, list[str]] = {}
    parents_left: dict[str, int] = {sku: 0 for sku in skus}
    for edge in edges:
        children.setdefault(edge.parent, []).append(edge.component)
        parents_left.setdefault(edge.parent, 0)
        parents_left[edge.component] = parents_left.get(edge.component, 0) + 1
    codes = {sku: 0 for sku in parents_left}
    ready = [sku for sku, left in parents_left.items() if left == 0]
    done = 0
    while ready:
        sku = ready.pop()
        done += 1
        level = codes[sku] + 1
        for component in children.get(sku, ()):
            if codes[component] < level:
                codes[component] = level
            parents_left[component] -= 1
            if parents_left[component] == 0:
                ready.append(component)
    if done != len(parents_left):
        raise BomCycle([sku for sku, left in parents_left.items() if left > 0])
    return codes
