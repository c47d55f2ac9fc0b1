"""Capable to promise, with no database: stock, open supply, lead times, materials, capacity."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from services.production.domain.promising import (
    OpenSupply,
    PromiseInput,
    PromiseItem,
    RoutingStep,
    WorkCenterTime,
    promise,
)
from shared.calendars import WorkCalendar

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
ALL_DAY = WorkCalendar.from_spec(
    {
        "timezone": "UTC",
        "shifts": [{"weekday": d, "start": "00:00", "end": "23:59"} for d in range(7)],
    }
)


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


def bikes(assembly_free_in_days: int = 0, **available: str) -> PromiseInput:
    """BIKE = 2 WHEEL + 1 FRAME, assembled on ASSY (30 min setup, 6 a bike); parts are bought."""
    return PromiseInput(
        now=NOW,
        items={
            "BIKE": PromiseItem("BIKE", "make", 2),
            "WHEEL": PromiseItem("WHEEL", "buy", 3),
            "FRAME": PromiseItem("FRAME", "buy", 7),
        },
        components={"BIKE": (("WHEEL", Decimal(2)), ("FRAME", Decimal(1)))},
        available={sku: Decimal(q) for sku, q in available.items()},
        routings={"BIKE": (RoutingStep("ASSY", Decimal(30), Decimal(6)),)},
        work_centers={
            "ASSY": WorkCenterTime("ASSY", ALL_DAY, NOW + timedelta(days=assembly_free_in_days))
        },
    )


def test_stock_on_hand_is_promised_today() -> None:
    answer = promise(bikes(BIKE="5"), "BIKE", Decimal(5))
    assert (answer.promised_date, answer.constraint.name) == (TODAY, "stock")


def test_a_bought_item_comes_in_its_lead_time_or_earlier_on_an_open_purchase_order() -> None:
    data = bikes()
    assert promise(data, "FRAME", Decimal(4)).promised_date == day(7)
    assert promise(data, "FRAME", Decimal(4)).constraint.name == "lead_time"
    on_order = PromiseInput(
        now=NOW,
        items=data.items,
        supply=(OpenSupply("FRAME", day(4), Decimal(10), "PO-0001"),),
    )
    answer = promise(on_order, "FRAME", Decimal(4))
    assert (answer.promised_date, answer.constraint.name) == (day(4), "supply:PO-0001")
    # More than the order brings: a new order, in the lead time.
    assert promise(on_order, "FRAME", Decimal(11)).promised_date == day(7)


def test_a_made_item_waits_for_its_slowest_material() -> None:
    answer = promise(bikes(WHEEL="10"), "BIKE", Decimal(5))
    # Wheels from stock, frames in 7 days, then 60 minutes of assembly.
    assert answer.constraint.name == "material:FRAME"
    assert answer.ready_at == datetime.combine(day(7), datetime.min.time(), UTC) + timedelta(
        minutes=60
    )


def test_a_busy_work_center_binds_when_the_materials_are_there() -> None:
    answer = promise(bikes(10, WHEEL="10", FRAME="5"), "BIKE", Decimal(5))
    assert (answer.promised_date, answer.constraint.name) == (day(10), "work_center:ASSY")


def test_stock_taken_by_one_component_is_not_counted_again() -> None:
    # Two units need 4 wheels; only 3 are there: the fourth comes in the wheels' lead time.
    answer = promise(bikes(WHEEL="3", FRAME="2"), "BIKE", Decimal(2))
    assert answer.constraint.name == "material:WHEEL"
    assert answer.promised_date == day(3)
