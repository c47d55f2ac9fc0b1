"""Gross-to-net planning, level by level, with lot sizing, lead-time offsetting and pegging."""

from __future__ import annotations

import gc
from collections import deque
from datetime import date, timedelta
from decimal import Decimal, localcontext

from services.production.domain.mrp.levels import low_level_codes
from services.production.domain.mrp.lots import order_quantity
from services.production.domain.mrp.model import (
    SAFETY_STOCK,
    ItemKind,
    MrpException,
    MrpInput,
    MrpResult,
    PlanItem,
    PlannedOrder,
    ScheduledReceipt,
)

ZERO = Decimal(0)

# Exact arithmetic: quantity-per products through six levels need more than the default 28 digits.
PRECISION = 80


# A requirement in a bucket: (day offset from start, quantity, the demand ids behind it).
_Entry = tuple[int, Decimal, frozenset[str]]


class _Order:
    """A planned order being built; `pegs` gathers the demand-id sets of what it covers."""

    __slots__ = ("due_day", "number", "pegged", "pegs", "quantity", "release_day", "sku")

    def __init__(self, number: int, sku: str, quantity: Decimal, release_day: int, due_day: int):
        self.number = number
        self.sku = sku
        self.quantity = quantity
        self.release_day = release_day
        self.due_day = due_day
        self.pegs: list[frozenset[str]] = []
        self.pegged: frozenset[str] = frozenset()

    def close(self) -> frozenset[str]:
        """Union the pegs once; a single set is shared, not copied, so levels reuse one object."""
        pegs = self.pegs
        if len(pegs) == 1:
            self.pegged = pegs[0]
        elif pegs:
            distinct = list({id(p): p for p in pegs}.values())
            if len(distinct) == 1:
                self.pegged = distinct[0]
            else:
                distinct.sort(key=len, reverse=True)
                largest = distinct[0]
                self.pegged = largest.union(*distinct[1:])
        self.pegs = []
        return self.pegged


class _Receipt:
    __slots__ = ("bucket", "day", "receipt", "used")

    def __init__(self, receipt: ScheduledReceipt, day: int, bucket: int) -> None:
        self.receipt = receipt
        self.day = day
        self.bucket = bucket
        self.used = False


class _Supply:
    """A quantity that can cover requirements: free stock, a scheduled receipt or a planned order."""

    __slots__ = ("order", "receipt", "remaining")

    def __init__(
        self, remaining: Decimal, order: _Order | None = None, receipt: _Receipt | None = None
    ) -> None:
        self.remaining = remaining
        self.order = order
        self.receipt = receipt


class _Plan:
    """One run's working state; `run` fills planned orders and exceptions item by item."""

    def __init__(self, data: MrpInput) -> None:
        self.data = data
        self.step = 7 if data.bucket == "week" else 1
        self.items = {item.sku: item for item in data.items}
        self.components: dict[str, list[tuple[str, Decimal]]] = {}
        for edge in data.edges:
            self.components.setdefault(edge.parent, []).append((edge.component, edge.quantity))
        self.entries: dict[str, dict[int, list[_Entry]]] = {}
        self.receipts: dict[str, list[_Receipt]] = {}
        self.orders: list[_Order] = []
        self.exceptions: list[MrpException] = []
        self.dates: dict[int, date] = {}

    def day_of(self, when: date) -> int:
        return (when - self.data.start).days

    def date_of(self, day: int) -> date:
        known = self.dates.get(day)
        if known is None:
            known = self.dates[day] = self.data.start + timedelta(days=day)
        return known

    def require(self, sku: str, day: int, quantity: Decimal, pegs: frozenset[str]) -> None:
        if day < 0:
            day = 0
        buckets = self.entries.setdefault(sku, {})
        buckets.setdefault(day // self.step, []).append((day, quantity, pegs))

    def load(self) -> None:
        for demand in sorted(self.data.demands, key=lambda d: (d.date, d.source)):
            day = self.day_of(demand.date)
            if demand.quantity > 0 and day < self.data.horizon_days:
                self.require(demand.sku, day, demand.quantity, frozenset((demand.source,)))
        for receipt in sorted(self.data.receipts, key=lambda r: (r.date, r.source)):
            if receipt.quantity > 0:
                day = self.day_of(receipt.date)
                self.receipts.setdefault(receipt.sku, []).append(
                    _Receipt(receipt, day, max(day, 0) // self.step)
                )

    def run(self) -> dict[str, int]:
        self.load()
        skus = set(self.items) | set(self.entries) | set(self.receipts)
        codes = low_level_codes(skus, self.data.edges)
        for sku in sorted(codes, key=lambda s: (codes[s], s)):
            item = self.items.get(sku) or PlanItem(sku)
            orders = self.net(item)
            for order in orders:
                order.close()
            if item.kind == "make" and sku in self.components:
                self.explode(orders, self.components[sku])
        return codes

    def net(self, item: PlanItem) -> list[_Order]:
        """Net the item's requirements bucket by bucket against its supply; plan what is missing."""
        sku = item.sku
        buckets = self.entries.pop(sku, {})
        receipts = self.receipts.get(sku, [])
        free = (
            self.data.on_hand.get(sku, ZERO)
            - self.data.allocated.get(sku, ZERO)
            - item.safety_stock
        )
        if free < 0:
            # Below safety stock already: restoring it is a requirement now.
            buckets.setdefault(0, []).insert(0, (0, -free, frozenset((SAFETY_STOCK,))))
        available: deque[_Supply] = deque()
        total_available = ZERO
        if free > 0:
            available.append(_Supply(free))
            total_available = free
        planned: list[_Order] = []
        orders = self.orders
        arriving = 0
        waiting = len(receipts)
        step = self.step
        lead_time = item.lead_time_days
        lot = item.lot
        quantum = self.data.quantum
        for bucket in sorted(buckets):
            while arriving < waiting and receipts[arriving].bucket <= bucket:
                supply = receipts[arriving]
                available.append(_Supply(supply.receipt.quantity, receipt=supply))
                total_available += supply.receipt.quantity
                arriving += 1
            entries = buckets[bucket]
            if len(entries) > 1:
                entries.sort(key=_day)
                needed = sum([entry[1] for entry in entries], ZERO)
            else:
                needed = entries[0][1]
            due_day = bucket * step
            while needed > total_available and arriving < waiting:
                # Rescheduling assumption: pull an open order in before planning a new one.
                supply = receipts[arriving]
                arriving += 1
                self.exceptions.append(
                    MrpException(
                        "expedite",
                        sku,
                        supply.receipt.date,
                        supply.receipt.quantity,
                        needed_date=self.date_of(max(entries[0][0], due_day)),
                        receipt=supply.receipt.source,
                    )
                )
                available.append(_Supply(supply.receipt.quantity, receipt=supply))
                total_available += supply.receipt.quantity
            if needed > total_available:
                quantity = order_quantity(needed - total_available, lot, quantum)
                order = _Order(len(orders) + 1, sku, quantity, due_day - lead_time, due_day)
                orders.append(order)
                planned.append(order)
                available.append(_Supply(quantity, order=order))
                total_available += quantity
            total_available -= needed
            _consume(available, entries)
        horizon = self.data.horizon_days
        for receipt in receipts:
            if not receipt.used and not receipt.receipt.keep and receipt.day < horizon:
                self.exceptions.append(
                    MrpException(
                        "cancel",
                        sku,
                        receipt.receipt.date,
                        receipt.receipt.quantity,
                        receipt=receipt.receipt.source,
                    )
                )
        for order in planned:
            if order.release_day < 0:
                self.exceptions.append(
                    MrpException(
                        "late",
                        sku,
                        self.date_of(order.release_day),
                        order.quantity,
                        needed_date=self.date_of(order.due_day),
                        planned_order=order.number,
                    )
                )
        return planned

    def explode(self, orders: list[_Order], components: list[tuple[str, Decimal]]) -> None:
        """Components are needed, in proportion, when the parent's orders are released."""
        step = self.step
        for component, per_unit in components:
            buckets = self.entries.setdefault(component, {})
            for order in orders:
                day = order.release_day if order.release_day > 0 else 0
                entry = (day, order.quantity * per_unit, order.pegged)
                bucket = buckets.get(day // step)
                if bucket is None:
                    buckets[day // step] = [entry]
                else:
                    bucket.append(entry)

    def result(self, codes: dict[str, int]) -> MrpResult:
        date_of = self.date_of
        described: dict[str, tuple[ItemKind, str | None]] = {}
        planned = []
        for order in self.orders:
            sku = order.sku
            kind_supplier = described.get(sku)
            if kind_supplier is None:
                item = self.items.get(sku) or PlanItem(sku)
                kind_supplier = described[sku] = (
                    item.kind,
                    item.supplier if item.kind == "buy" else None,
                )
            planned.append(
                PlannedOrder(
                    order.number,
                    kind_supplier[0],
                    sku,
                    order.quantity,
                    date_of(order.release_day),
                    date_of(order.due_day),
                    order.pegged,
                    kind_supplier[1],
                )
            )
        return MrpResult(tuple(planned), tuple(self.exceptions), codes)


def _day(entry: _Entry) -> int:
    return entry[0]


def _consume(available: deque[_Supply], entries: list[_Entry]) -> None:
    """Cover a bucket's requirements from the oldest supply first, pegging planned orders to them."""
    supply = available[0]
    remaining = supply.remaining
    for _, wanted, pegs in entries:
        while True:
            if supply.order is not None:
                supply.order.pegs.append(pegs)
            elif supply.receipt is not None:
                supply.receipt.used = True
            if remaining > wanted:
                remaining -= wanted
                break
            wanted -= remaining
            available.popleft()
            if not available:
                # Exactly used up: only possible on the bucket's last requirement.
                return
            supply = available[0]
            remaining = supply.remaining
            if not wanted:
                break
    supply.remaining = remaining


def plan(data: MrpInput) -> MrpResult:
    """Run MRP: planned orders for every item, in low-level-code order, and the exceptions."""
    # A large run allocates millions of small objects and frees none of them until it ends:
    # the cyclic collector would rescan the growing heap again and again for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with localcontext() as context:
            context.prec = PRECISION
            run = _Plan(data)
            codes = run.run()
            return run.result(codes)
    finally:
        if collecting:
            gc.enable()
