"""Shipment states and punctuality, without database or broker."""

from datetime import UTC, date, datetime

from services.logistics.domain.shipping import can_move, on_time


def test_delivered_is_final_and_exception_can_recover() -> None:
    assert can_move("dispatched", "in_transit") and can_move("exception", "in_transit")
    assert not can_move("delivered", "exception") and not can_move("in_transit", "dispatched")


def test_delivered_on_the_due_date_is_on_time() -> None:
    assert on_time(datetime(2026, 12, 5, 23, 0, tzinfo=UTC), date(2026, 12, 5))
    assert not on_time(datetime(2026, 12, 6, 0, 1, tzinfo=UTC), date(2026, 12, 5))
