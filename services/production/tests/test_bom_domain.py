"""BOM arithmetic with no database: explosion with scrap, where-used, cycles."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.production.domain.bom import (
    BomCycle,
    BomSpec,
    ComponentSpec,
    direct_components,
    explode,
    find_cycle,
    leaf_requirements,
    where_used,
)

D = Decimal

BIKE = BomSpec(
    "BIKE",
    [ComponentSpec("WHEEL", D(2), D("0.1")), ComponentSpec("FRAME", D(1))],
)
# Two wheels are made from one batch: 2 rims, 72 spokes.
WHEEL = BomSpec(
    "WHEEL",
    [ComponentSpec("RIM", D(2)), ComponentSpec("SPOKE", D(72), D("0.05"))],
    output_quantity=D(2),
)
STRUCTURE = {"BIKE": BIKE, "WHEEL": WHEEL}


def test_explosion_is_indented_and_carries_scrap_down_the_levels() -> None:
    lines = explode("BIKE", D(10), STRUCTURE)
    assert [(line.level, line.sku, line.quantity) for line in lines] == [
        (1, "WHEEL", D("22")),
        (2, "RIM", D("22")),
        (2, "SPOKE", D("831.6")),
        (1, "FRAME", D("10")),
    ]
    assert lines[0].has_bom and not lines[1].has_bom
    assert lines[2].path == ("BIKE", "WHEEL", "SPOKE")
    assert lines[1].quantity_per == D(1)


def test_direct_components_and_leaf_requirements_sum_per_sku() -> None:
    assert direct_components("BIKE", D(10), STRUCTURE) == [("WHEEL", D(22)), ("FRAME", D(10))]
    twice = {"KIT": BomSpec("KIT", [ComponentSpec("BIKE", D(1)), ComponentSpec("RIM", D(1))])}
    assert dict(leaf_requirements("KIT", D(1), {**STRUCTURE, **twice})) == {
        "RIM": D("3.2"),
        "SPOKE": D("83.16"),
        "FRAME": D(1),
    }


def test_a_product_without_bom_explodes_to_nothing() -> None:
    assert explode("RIM", D(5), STRUCTURE) == []


def test_where_used_climbs_every_level() -> None:
    usages = where_used("SPOKE", STRUCTURE)
    assert [(u.level, u.sku, u.parent_sku, u.quantity_per) for u in usages] == [
        (1, "SPOKE", "WHEEL", D(36)),
        (2, "WHEEL", "BIKE", D(2)),
    ]
    assert where_used("BIKE", STRUCTURE) == []


def test_cycles_are_found_with_their_path() -> None:
    looped = {**STRUCTURE, "RIM": BomSpec("RIM", [ComponentSpec("BIKE", D(1))])}
    assert find_cycle("BIKE", looped) == ["BIKE", "WHEEL", "RIM", "BIKE"]
    assert find_cycle("BIKE", STRUCTURE) is None
    assert find_cycle("SELF", {"SELF": BomSpec("SELF", [ComponentSpec("SELF", D(1))])}) == [
        "SELF",
        "SELF",
    ]
    with pytest.raises(BomCycle) as raised:
        explode("BIKE", D(1), looped)
    assert raised.value.path == ["BIKE", "WHEEL", "RIM", "BIKE"]
