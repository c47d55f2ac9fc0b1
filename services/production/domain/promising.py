"""Capable to promise: the earliest date a quantity of an item can be delivered, and what binds it.

Stock available now comes first; then the open supply (purchase orders, released production
orders) on its date; otherwise a new order: bought in the item's lead time, or made once its
components are ready (recursively, each component taking stock, supply or a new order in turn)
and its routing has run on work centers after what the current schedule already holds there.
Stock, supply and work-center time taken by one branch are not counted again by another.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Literal

from services.production.domain.costing import RoutingStep
from shared.calendars import WorkCalendar, add_working_minutes, next_working_instant

ZERO = Decimal(0)
MAX_LEVELS = 32
"""BOMs are acyclic (publishing refuses cycles); this bounds the recursion all the same."""
ConstraintKind = Literal["stock", "supply", "material", "work_center", "lead_time"]


@dataclass(frozen=True)
class PromiseItem:
    """An item as promising sees it: made or bought, and in how many days."""

    sku: str
    kind: Literal["make", "buy"] = "buy"
    lead_time_days: int = 0


@dataclass(frozen=True)
class OpenSupply:
    """Goods on their way: an open purchase order line or a released production order."""

    sku: str
    date: date
    quantity: Decimal
    order: str
    """The order's number, e.g. PO-… or MO-…"""


@dataclass(frozen=True)
class WorkCenterTime:
    """A work center's calendar and the instant the current schedule leaves it free."""

    code: str
    calendar: WorkCalendar
    free_from: datetime


@dataclass(frozen=True)
class PromiseInput:
    """What a promise is made from."""

    now: datetime
    items: dict[str, PromiseItem] = field(default_factory=dict)
    components: dict[str, tuple[tuple[str, Decimal], ...]] = field(default_factory=dict)
    """Per made item, each component and the quantity one unit takes (scrap included)."""
    available: dict[str, Decimal] = field(default_factory=dict)
    supply: tuple[OpenSupply, ...] = ()
    routings: dict[str, tuple[RoutingStep, ...]] = field(default_factory=dict)
    work_centers: dict[str, WorkCenterTime] = field(default_factory=dict)


@dataclass(frozen=True)
class Constraint:
    """What binds a promise: the stock on hand, an open order, a material (a component), a work
    center's queue, or the lead time itself."""

    kind: ConstraintKind
    sku: str | None = None
    work_center: str | None = None
    order: str | None = None

    @property
    def name(self) -> str:
        """`stock`, `supply:PO-…`, `material:TUBE`, `work_center:WELD` or `lead_time`."""
        if self.kind == "supply":
            return f"supply:{self.order}"
        if self.kind == "material":
            return f"material:{self.sku}"
        if self.kind == "work_center":
            return f"work_center:{self.work_center}"
        return self.kind


@dataclass(frozen=True)
class Promise:
    """The earliest delivery date of a quantity and the constraint that sets it."""

    sku: str
    quantity: Decimal
    ready_at: datetime
    constraint: Constraint

    @property
    def promised_date(self) -> date:
        return self.ready_at.date()


@dataclass
class _Line:
    """What is left of an open supply line."""

    day: date
    left: Decimal
    order: str


@dataclass
class _State:
    available: dict[str, Decimal]
    supply: dict[str, list[_Line]]
    free_from: dict[str, datetime]

    def copy(self) -> _State:
        return _State(
            dict(self.available),
            {sku: [replace(line) for line in lines] for sku, lines in self.supply.items()},
            dict(self.free_from),
        )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), UTC)


class _Promiser:
    def __init__(self, data: PromiseInput) -> None:
        self.data = data
        supply: dict[str, list[_Line]] = {}
        for line in sorted(data.supply, key=lambda s: (s.date, s.order)):
            if line.quantity > 0:
                supply.setdefault(line.sku, []).append(_Line(line.date, line.quantity, line.order))
        self.state = _State(
            dict(data.available),
            supply,
            {code: max(c.free_from, data.now) for code, c in data.work_centers.items()},
        )

    def ready(self, sku: str, quantity: Decimal, depth: int = 0) -> tuple[datetime, Constraint]:
        """When `quantity` of `sku` can be at hand, taking what it uses from the state."""
        now = self.data.now
        held = self.state.available.get(sku, ZERO)
        taken = min(max(held, ZERO), quantity)
        self.state.available[sku] = held - taken
        quantity -= taken
        if quantity <= 0:
            return now, Constraint("stock", sku=sku)
        by_supply = self._supply_date(sku, quantity)
        item = self.data.items.get(sku) or PromiseItem(sku)
        makeable = sku in self.data.components or sku in self.data.routings
        if item.kind == "make" and makeable and depth < MAX_LEVELS:
            before = self.state.copy()
            made = self._make(item, quantity, depth)
            if by_supply is None or made[0] < _day_start(by_supply[0]):
                return made
            self.state = before
        else:
            bought = _day_start(now.date() + timedelta(days=item.lead_time_days))
            bought = max(bought, now)
            if by_supply is None or bought < _day_start(by_supply[0]):
                return bought, Constraint("lead_time", sku=sku)
        assert by_supply is not None
        day, order = by_supply
        self._take_supply(sku, quantity)
        return max(_day_start(day), now), Constraint("supply", sku=sku, order=order)

    def _supply_date(self, sku: str, quantity: Decimal) -> tuple[date, str] | None:
        """The date by which open supply alone covers the quantity, and the last order needed."""
        gathered = ZERO
        for line in self.state.supply.get(sku, []):
            gathered += line.left
            if gathered >= quantity:
                return line.day, line.order
        return None

    def _take_supply(self, sku: str, quantity: Decimal) -> None:
        for line in self.state.supply.get(sku, []):
            taken = min(line.left, quantity)
            line.left -= taken
            quantity -= taken
            if quantity <= 0:
                return

    def _make(
        self, item: PromiseItem, quantity: Decimal, depth: int
    ) -> tuple[datetime, Constraint]:
        now = self.data.now
        materials_at, binding = now, None
        for component, per_unit in self.data.components.get(item.sku, ()):
            at, constraint = self.ready(component, quantity * per_unit, depth + 1)
            if at > materials_at:
                materials_at = at
                binding = (
                    constraint
                    if constraint.kind in ("material", "work_center")
                    else Constraint("material", sku=component, order=constraint.order)
                )
        steps = self.data.routings.get(item.sku, ())
        if not steps:
            done = materials_at + timedelta(days=item.lead_time_days)
            return done, binding or Constraint("lead_time", sku=item.sku)
        cursor, worst_wait, queue = materials_at, timedelta(0), None
        for step in steps:
            center = self.data.work_centers.get(step.work_center)
            calendar = center.calendar if center is not None else WorkCalendar.from_spec(None)
            free = self.state.free_from.get(step.work_center, now)
            start = max(cursor, free)
            if start - cursor > worst_wait:
                worst_wait, queue = start - cursor, step.work_center
            start = next_working_instant(calendar, start)
            minutes = step.setup_minutes + step.run_minutes_per_unit * quantity
            end = add_working_minutes(calendar, start, minutes)
            self.state.free_from[step.work_center] = end
            cursor = end
        if queue is not None:
            return cursor, Constraint("work_center", work_center=queue)
        if binding is not None:
            return cursor, binding
        return cursor, Constraint("lead_time", sku=item.sku)


def promise(data: PromiseInput, sku: str, quantity: Decimal) -> Promise:
    """The earliest date `quantity` of `sku` can be delivered, and what limits it."""
    ready_at, constraint = _Promiser(data).ready(sku, quantity)
    return Promise(sku, quantity, ready_at, constraint)
