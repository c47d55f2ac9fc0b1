"""Shipment states and delivery punctuality, without database or broker."""

from __future__ import annotations

from datetime import date, datetime

SHIPMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    "dispatched": frozenset({"in_transit", "delivered", "exception"}),
    "in_transit": frozenset({"delivered", "exception"}),
    "exception": frozenset({"in_transit", "delivered"}),
    "delivered": frozenset(),
}


def can_move(current: str, target: str) -> bool:
    """Whether a shipment in `current` may go to `target`."""
    return target in SHIPMENT_TRANSITIONS.get(current, frozenset())


def on_time(delivered_at: datetime, due_date: date) -> bool:
    """Delivered on or before the due date (UTC)."""
    return delivered_at.date() <= due_date
