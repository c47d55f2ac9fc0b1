"""MRP inputs and results: plain, immutable records with Decimal quantities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, NamedTuple

ItemKind = Literal["make", "buy"]
Bucket = Literal["day", "week"]
LotRule = Literal["lot_for_lot", "fixed", "min_multiple"]
ExceptionKind = Literal["late", "expedite", "cancel"]
SupplyKind = Literal["purchase_order", "proposed_purchase", "production_order", "firmed_order"]

Day = date
"""A calendar day (an alias where a field is itself called `date`)."""

SAFETY_STOCK = "safety-stock"
"""What a planned order is pegged to when it restores an item's safety stock."""


@dataclass(frozen=True)
class LotSizing:
    """How a net requirement becomes an order quantity."""

    rule: LotRule = "lot_for_lot"
    quantity: Decimal = Decimal(0)
    """The fixed order quantity (rule `fixed`); a larger need orders whole multiples of it."""
    minimum: Decimal = Decimal(0)
    """The smallest order (rule `min_multiple`)."""
    multiple: Decimal = Decimal(0)
    """Orders are rounded up to a multiple of this (rule `min_multiple`); 0 means any quantity."""

    @classmethod
    def fixed(cls, quantity: Decimal | int | str) -> LotSizing:
        return cls("fixed", quantity=Decimal(quantity))

    @classmethod
    def min_multiple(
        cls, minimum: Decimal | int | str = 0, multiple: Decimal | int | str = 0
    ) -> LotSizing:
        return cls("min_multiple", minimum=Decimal(minimum), multiple=Decimal(multiple))


LOT_FOR_LOT = LotSizing()


@dataclass(frozen=True)
class PlanItem:
    """An item as MRP sees it: made or bought, how long it takes, how it is ordered."""

    sku: str
    kind: ItemKind = "buy"
    lead_time_days: int = 0
    safety_stock: Decimal = Decimal(0)
    lot: LotSizing = LOT_FOR_LOT
    supplier: str | None = None


@dataclass(frozen=True)
class BomEdge:
    """`quantity` of `component` goes into one unit of `parent` (scrap included)."""

    parent: str
    component: str
    quantity: Decimal


@dataclass(frozen=True)
class ScheduledReceipt:
    """Supply already on its way: an open purchase or production order."""

    sku: str
    date: date
    quantity: Decimal
    source: str
    keep: bool = False
    """Never advised `cancel`: a released order still waiting for its components."""
    kind: SupplyKind = "purchase_order"


@dataclass(frozen=True)
class Demand:
    """Independent demand: a delivery order line or a forecast."""

    sku: str
    date: date
    quantity: Decimal
    source: str


@dataclass(frozen=True)
class MrpInput:
    """Everything one MRP run plans from."""

    start: date
    horizon_days: int
    bucket: Bucket = "week"
    items: tuple[PlanItem, ...] = ()
    edges: tuple[BomEdge, ...] = ()
    on_hand: dict[str, Decimal] = field(default_factory=dict)
    allocated: dict[str, Decimal] = field(default_factory=dict)
    receipts: tuple[ScheduledReceipt, ...] = ()
    demands: tuple[Demand, ...] = ()
    quantum: Decimal = Decimal("0.000001")
    """Planned quantities are rounded up to this step (the scale quantities are stored at)."""


class PlannedOrder(NamedTuple):
    """An order MRP proposes: make it or buy it, released in time to be due when needed.

    `pegged_to` holds the ids of the independent demands it serves, through every level above.
    (Named tuples, not dataclasses: a large run makes hundreds of thousands of them.)
    """

    number: int
    kind: ItemKind
    sku: str
    quantity: Decimal
    release_date: date
    due_date: date
    pegged_to: frozenset[str]
    supplier: str | None = None


class MrpException(NamedTuple):
    """Something a planner must act on.

    late: planned order `planned_order` should have been released on `date`, before the run's start;
    expedite: scheduled receipt `receipt` arrives on `date` but is needed on `needed_date`;
    cancel: scheduled receipt `receipt`, due on `date`, is not needed.
    """

    kind: ExceptionKind
    sku: str
    date: Day
    quantity: Decimal
    needed_date: Day | None = None
    receipt: str | None = None
    planned_order: int | None = None


@dataclass(frozen=True)
class MrpResult:
    """The planned orders (in planning order: by low-level code, then date) and exceptions."""

    planned_orders: tuple[PlannedOrder, ...]
    exceptions: tuple[MrpException, ...]
    low_level_codes: dict[str, int]
