"""Walking lot genealogy: the tree of lots that went into a lot, or were made from it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

MAX_DEPTH = 50
MAX_NODES = 5000


@dataclass(frozen=True, order=True)
class LotKey:
    """One lot of one sku."""

    sku: str
    lot: str


@dataclass(frozen=True)
class Edge:
    """A step from a lot to a neighbouring lot: the quantity that passed, and by which order."""

    to: LotKey
    quantity: Decimal
    reference: str


@dataclass
class Node:
    """A lot in a walk; `cycle` and `truncated` say why it has no children where it might."""

    key: LotKey
    quantity: Decimal
    depth: int
    reference: str | None = None
    children: list[Node] = field(default_factory=list)
    cycle: bool = False
    truncated: bool = False


def walk(
    root: LotKey,
    quantity: Decimal,
    edges: Mapping[LotKey, Sequence[Edge]],
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
) -> Node:
    """The tree from `root` along `edges`, at most `max_depth` levels and `max_nodes` nodes; a lot
    met again on its own path is a cycle and is not followed."""
    count = 1
    tree = Node(root, quantity, 0)

    def grow(node: Node, path: frozenset[LotKey]) -> None:
        nonlocal count
        steps = edges.get(node.key, ())
        if not steps:
            return
        if node.depth >= max_depth or count >= max_nodes:
            node.truncated = True
            return
        for edge in sorted(steps, key=lambda e: (e.to, e.reference)):
            if count >= max_nodes:
                node.truncated = True
                return
            child = Node(edge.to, edge.quantity, node.depth + 1, edge.reference)
            count += 1
            node.children.append(child)
            if edge.to in path:
                child.cycle = True
            else:
                grow(child, path | {edge.to})

    grow(tree, frozenset({root}))
    return tree


def flatten(tree: Node) -> Iterator[tuple[Node, Node | None]]:
    """Every node of a tree with its parent, parents first."""
    stack: list[tuple[Node, Node | None]] = [(tree, None)]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        stack.extend((child, node) for child in reversed(node.children))
