"""The genealogy walk on its own: levels, shared lots, cycles and the bounds."""

from __future__ import annotations

from decimal import Decimal

from services.inventory.domain.genealogy import Edge, LotKey, Node, flatten, walk

A, B, C, D = (LotKey("X", name) for name in "ABCD")


def edge(to: LotKey, quantity: str = "1", reference: str = "MO-1") -> Edge:
    return Edge(to, Decimal(quantity), reference)


def lots(node: Node) -> list[tuple[str, int]]:
    return [(n.key.lot, n.depth) for n, _ in flatten(node)]


def test_the_walk_follows_every_level_and_repeats_a_lot_shared_by_two_branches() -> None:
    tree = walk(A, Decimal(5), {A: [edge(B, "2"), edge(C, "3")], B: [edge(D)], C: [edge(D)]})
    assert lots(tree) == [("A", 0), ("B", 1), ("D", 2), ("C", 1), ("D", 2)]
    assert [c.quantity for c in tree.children] == [Decimal(2), Decimal(3)]
    assert not any(n.cycle or n.truncated for n, _ in flatten(tree))


def test_a_lot_met_again_on_its_own_path_is_marked_as_a_cycle_and_not_followed() -> None:
    tree = walk(A, Decimal(1), {A: [edge(B)], B: [edge(A)]})
    assert lots(tree) == [("A", 0), ("B", 1), ("A", 2)]
    again = tree.children[0].children[0]
    assert again.cycle and again.children == []


def test_the_walk_stops_at_the_depth_bound_and_says_so() -> None:
    tree = walk(A, Decimal(1), {A: [edge(B)], B: [edge(C)], C: [edge(D)]}, max_depth=2)
    assert lots(tree) == [("A", 0), ("B", 1), ("C", 2)]
    assert tree.children[0].children[0].truncated


def test_the_walk_stops_at_the_node_bound_and_says_so() -> None:
    tree = walk(A, Decimal(1), {A: [edge(B), edge(C), edge(D)]}, max_nodes=3)
    assert lots(tree) == [("A", 0), ("B", 1), ("C", 1)]
    assert tree.truncated


def test_flatten_gives_each_node_its_parent() -> None:
    tree = walk(A, Decimal(1), {A: [edge(B)]})
    assert [(n.key.lot, p.key.lot if p else None) for n, p in flatten(tree)] == [
        ("A", None),
        ("B", "A"),
    ]
