"""Receiving arithmetic, without database or broker."""

from decimal import Decimal

from services.logistics.domain.receiving import receivable, status_after_receipt


def test_a_line_may_take_five_percent_more_than_ordered() -> None:
    assert receivable(Decimal(100), Decimal(0)) == Decimal(105)
    assert receivable(Decimal(100), Decimal(60)) == Decimal(45)
    assert receivable(Decimal(100), Decimal(110)) == Decimal(0)


def test_order_is_received_only_when_every_line_is_complete() -> None:
    assert (
        status_after_receipt([(Decimal(10), Decimal(10)), (Decimal(5), Decimal(4))])
        == "partially_received"
    )
    assert (
        status_after_receipt([(Decimal(10), Decimal(11)), (Decimal(5), Decimal(5))]) == "received"
    )
