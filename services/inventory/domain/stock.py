"""Stock arithmetic: availability, drawing stock from levels, moving-average cost, reorder alerts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from shared.numbers import quantize

ZERO = Decimal(0)
# Quantities, values and running totals stay within what both databases store exactly
# (SQLite keeps amounts as integers of millionths in 64 bits).
LIMIT = Decimal(10) ** 12
INBOUND = {"receipt"}
OUTBOUND = {"issue", "scrap"}


@dataclass(frozen=True, order=True)
class LevelKey:
    """Where stock sits: an sku in a warehouse, at a location (bin) and in a lot ('' for none)."""

    sku: str
    warehouse: str
    location: str = ""
    lot: str = ""


@dataclass(frozen=True)
class LevelAvailability:
    """What a level holds that is free to move."""

    key: LevelKey
    available: Decimal


@dataclass(frozen=True)
class Draw:
    """A quantity taken from one level."""

    key: LevelKey
    quantity: Decimal


def available(on_hand: Decimal, reserved: Decimal, on_hold: Decimal) -> Decimal:
    """What is on hand and neither reserved nor on hold."""
    return on_hand - reserved - on_hold


def draw(levels: Sequence[LevelAvailability], quantity: Decimal) -> list[Draw] | None:
    """Take a quantity from levels in the order given; None if they do not hold enough."""
    remaining = quantity
    draws: list[Draw] = []
    for level in levels:
        if remaining <= ZERO:
            break
        take = min(level.available, remaining)
        if take > ZERO:
            draws.append(Draw(level.key, take))
            remaining -= take
    return draws if remaining <= ZERO else None


def total_available(levels: Iterable[LevelAvailability]) -> Decimal:
    """The sum of what the levels hold free, never below zero."""
    return max(ZERO, sum((level.available for level in levels), ZERO))


def moving_average(
    on_hand: Decimal, average_cost: Decimal, quantity: Decimal, unit_cost: Decimal
) -> Decimal:
    """The average cost after adding a quantity at a unit cost to what is on hand."""
    if on_hand <= ZERO:
        return quantize(unit_cost)
    return quantize((on_hand * average_cost + quantity * unit_cost) / (on_hand + quantity))


def suggested_quantity(
    available_now: Decimal, reorder_point: Decimal, reorder_quantity: Decimal, safety_stock: Decimal
) -> Decimal:
    """How much to order when stock falls below its reorder point."""
    return max(reorder_quantity, reorder_point + safety_stock - available_now)


def reorder_crossing(
    available_now: Decimal, reorder_point: Decimal, was_below: bool
) -> tuple[bool, bool]:
    """(now below, raise an alert): an alert once per fall below the point, re-armed above it."""
    below = available_now < reorder_point
    return below, below and not was_below


def within_limit(*values: Decimal) -> bool:
    """Whether every value's magnitude is at most LIMIT."""
    return all(abs(value) <= LIMIT for value in values)


def as_text(value: Decimal) -> str:
    """A quantity as JSON shows it: plain notation, no trailing zeros."""
    return format(value.normalize(), "f")
