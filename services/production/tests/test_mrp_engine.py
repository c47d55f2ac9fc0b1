"""MRP engine on textbook cases worked by hand (no database, no broker)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from services.production.domain.mrp import (
    SAFETY_STOCK,
    BomCycle,
    BomEdge,
    Demand,
    LotSizing,
    MrpInput,
    MrpResult,
    PlanItem,
    ScheduledReceipt,
    consume_forecasts,
    low_level_codes,
    plan,
)

START = date(2026, 1, 5)  # a Monday


def day(n: int) -> date:
    return START + timedelta(days=n)


def week(n: int) -> date:
    return START + timedelta(weeks=n)


def rows(result: MrpResult) -> list[tuple[str, str, str, date, date, tuple[str, ...]]]:
    """Planned orders as (sku, kind, quantity, release, due, pegged_to), in planning order."""
    return [
        (
            o.sku,
            o.kind,
            format(o.quantity.normalize(), "f"),
            o.release_date,
            o.due_date,
            tuple(sorted(o.pegged_to)),
        )
        for o in result.planned_orders
    ]


def exceptions(result: MrpResult) -> list[tuple[object, ...]]:
    return [
        (e.kind, e.sku, e.date, e.needed_date, e.receipt, e.planned_order)
        for e in result.exceptions
    ]


def demand(sku: str, when: date, quantity: int | str, source: str) -> Demand:
    return Demand(sku, when, Decimal(quantity), source)


def receipt(sku: str, when: date, quantity: int | str, source: str) -> ScheduledReceipt:
    return ScheduledReceipt(sku, when, Decimal(quantity), source)


def test_lot_for_lot_nets_on_hand_and_offsets_by_the_lead_time() -> None:
    result = plan(
        MrpInput(
            start=START,
            horizon_days=56,
            items=(PlanItem("A", "buy", lead_time_days=7, supplier="ACME"),),
            on_hand={"A": Decimal(30)},
            demands=(demand("A", week(2), 100, "SO-1"), demand("A", week(4), 50, "SO-2")),
        )
    )
    # Week 2: 100 needed, 30 on hand -> 70; week 4: 50. Each released one week earlier.
    assert rows(result) == [
        ("A", "buy", "70", week(1), week(2), ("SO-1",)),
        ("A", "buy", "50", week(3), week(4), ("SO-2",)),
    ]
    assert result.planned_orders[0].supplier == "ACME"
    assert result.exceptions == ()


def test_multi_level_explosion_by_low_level_code_with_lead_times() -> None:
    # A = 2 B + 1 C; B = 3 C. C sits at level 1 under A and level 2 under B: planned once, last.
    data = MrpInput(
        start=START,
        horizon_days=70,
        items=(
            PlanItem("A", "make", lead_time_days=7),
            PlanItem("B", "make", lead_time_days=14),
            PlanItem("C", "buy", lead_time_days=7),
        ),
        edges=(
            BomEdge("A", "B", Decimal(2)),
            BomEdge("A", "C", Decimal(1)),
            BomEdge("B", "C", Decimal(3)),
        ),
        on_hand={"B": Decimal(5), "C": Decimal(20)},
        demands=(demand("A", week(5), 10, "SO-1"),),
    )
    result = plan(data)
    assert result.low_level_codes == {"A": 0, "B": 1, "C": 2}
    # A: 10 due wk5, released wk4 -> B needs 20 and C 10 in wk4.
    # B: 20 - 5 on hand = 15 due wk4, released wk2 -> C needs 45 in wk2.
    # C: wk2 45 - 20 on hand = 25 (released wk1); wk4 10 (released wk3).
    assert rows(result) == [
        ("A", "make", "10", week(4), week(5), ("SO-1",)),
        ("B", "make", "15", week(2), week(4), ("SO-1",)),
        ("C", "buy", "25", week(1), week(2), ("SO-1",)),
        ("C", "buy", "10", week(3), week(4), ("SO-1",)),
    ]


def test_pegging_follows_each_demand_through_the_levels() -> None:
    result = plan(
        MrpInput(
            start=START,
            horizon_days=70,
            items=(
                PlanItem("A", "make", lead_time_days=7),
                PlanItem("B", "make", lead_time_days=7),
                PlanItem("C", "buy", lead_time_days=0, lot=LotSizing.fixed(100)),
            ),
            edges=(BomEdge("A", "B", Decimal(1)), BomEdge("B", "C", Decimal(2))),
            demands=(demand("A", week(3), 10, "SO-1"), demand("A", week(4), 20, "SO-2")),
        )
    )
    # C's fixed lot of 100 bought in wk1 covers SO-1 (20) and SO-2 (40): one order, two pegs.
    assert rows(result) == [
        ("A", "make", "10", week(2), week(3), ("SO-1",)),
        ("A", "make", "20", week(3), week(4), ("SO-2",)),
        ("B", "make", "10", week(1), week(2), ("SO-1",)),
        ("B", "make", "20", week(2), week(3), ("SO-2",)),
        ("C", "buy", "100", week(1), week(1), ("SO-1", "SO-2")),
    ]


def test_fixed_lot_orders_whole_lots_and_carries_the_excess_forward() -> None:
    result = plan(
        MrpInput(
            start=START,
            horizon_days=42,
            items=(PlanItem("P", "buy", lot=LotSizing.fixed(50)),),
            demands=(
                demand("P", week(1), 30, "D1"),
                demand("P", week(2), 30, "D2"),
                demand("P", week(3), 60, "D3"),
                demand("P", week(4), 120, "D4"),
            ),
        )
    )
    # wk1: 30 -> 50 (20 left); wk2: 30-20=10 -> 50 (40 left); wk3: 60-40=20 -> 50 (30 left);
    # wk4: 120-30=90 -> two lots, 100 (10 left).
    assert rows(result) == [
        ("P", "buy", "50", week(1), week(1), ("D1", "D2")),
        ("P", "buy", "50", week(2), week(2), ("D2", "D3")),
        ("P", "buy", "50", week(3), week(3), ("D3", "D4")),
        ("P", "buy", "100", week(4), week(4), ("D4",)),
    ]


def test_minimum_and_multiple_lot_sizing() -> None:
    result = plan(
        MrpInput(
            start=START,
            horizon_days=28,
            items=(PlanItem("M", "buy", lot=LotSizing.min_multiple(100, 25)),),
            demands=(
                demand("M", week(0), 40, "D1"),
                demand("M", week(1), 90, "D2"),
                demand("M", week(2), 230, "D3"),
            ),
        )
    )
    # wk0: 40 -> at least 100 (60 left); wk1: 90-60=30 -> 100 (70 left); wk2: 230-70=160 -> 175.
    assert [(r[2], r[4]) for r in rows(result)] == [
        ("100", week(0)),
        ("100", week(1)),
        ("175", week(2)),
    ]


def test_safety_stock_is_kept_and_restored_when_stock_is_below_it() -> None:
    kept = plan(
        MrpInput(
            start=START,
            horizon_days=28,
            items=(PlanItem("S", "buy", safety_stock=Decimal(20)),),
            on_hand={"S": Decimal(50)},
            demands=(demand("S", week(1), 40, "D1"), demand("S", week(2), 10, "D2")),
        )
    )
    # 50 on hand - 20 safety = 30 free: wk1 needs 10 more, wk2 another 10.
    assert [(r[2], r[4], r[5]) for r in rows(kept)] == [
        ("10", week(1), ("D1",)),
        ("10", week(2), ("D2",)),
    ]
    restored = plan(
        MrpInput(
            start=START,
            horizon_days=28,
            items=(PlanItem("S", "buy", lead_time_days=7, safety_stock=Decimal(20)),),
            on_hand={"S": Decimal(15)},
            allocated={"S": Decimal(5)},
            demands=(demand("S", week(1), 40, "D1"),),
        )
    )
    # 15 on hand - 5 allocated = 10, 10 short of the safety stock now: ordered a week too late.
    assert rows(restored) == [
        ("S", "buy", "10", week(-1), week(0), (SAFETY_STOCK,)),
        ("S", "buy", "40", week(0), week(1), ("D1",)),
    ]
    assert exceptions(restored) == [("late", "S", week(-1), week(0), None, 1)]


def test_scheduled_receipts_are_netted_before_planning() -> None:
    result = plan(
        MrpInput(
            start=START,
            horizon_days=28,
            items=(PlanItem("R", "buy"),),
            receipts=(receipt("R", week(1), 50, "PO-1"),),
            demands=(demand("R", week(1), 30, "D1"), demand("R", week(2), 30, "D2")),
        )
    )
    assert rows(result) == [("R", "buy", "10", week(2), week(2), ("D2",))]
    assert result.exceptions == ()


def test_a_receipt_arriving_after_it_is_needed_is_expedited_and_an_unneeded_one_cancelled() -> None:
    result = plan(
        MrpInput(
            start=START,
            horizon_days=42,
            items=(PlanItem("R", "buy", lead_time_days=7),),
            receipts=(receipt("R", week(3), 40, "PO-2"), receipt("R", week(2), 25, "PO-3")),
            demands=(demand("R", week(1), 60, "D1"),),
        )
    )
    # wk1 needs 60: PO-3 (wk2) and PO-2 (wk3) are pulled in, in arrival order, and cover it all.
    assert rows(result) == []
    assert exceptions(result) == [
        ("expedite", "R", week(2), week(1), "PO-3", None),
        ("expedite", "R", week(3), week(1), "PO-2", None),
    ]
    spare = plan(
        MrpInput(
            start=START,
            horizon_days=42,
            items=(PlanItem("R", "buy"),),
            on_hand={"R": Decimal(100)},
            receipts=(receipt("R", week(2), 25, "PO-4"), receipt("R", week(9), 5, "PO-5")),
            demands=(demand("R", week(1), 60, "D1"),),
        )
    )
    # PO-5 lies beyond the horizon: not judged.
    assert rows(spare) == []
    assert exceptions(spare) == [("cancel", "R", week(2), None, "PO-4", None)]


def test_daily_buckets_flag_orders_released_before_the_start_as_late() -> None:
    result = plan(
        MrpInput(
            start=START,
            horizon_days=10,
            bucket="day",
            items=(
                PlanItem("F", "make", lead_time_days=2),
                PlanItem("G", "buy", lead_time_days=5),
            ),
            edges=(BomEdge("F", "G", Decimal("1.05")),),
            demands=(
                demand("F", day(3), 7, "SO-9"),
                demand("F", day(-2), 1, "SO-8"),
                demand("F", day(10), 99, "beyond"),
            ),
        )
    )
    # Past-due SO-8 is due today; F made in 2 days, G (7 x 1.05 = 7.35, scrap included) in 5.
    assert rows(result) == [
        ("F", "make", "1", day(-2), day(0), ("SO-8",)),
        ("F", "make", "7", day(1), day(3), ("SO-9",)),
        ("G", "buy", "1.05", day(-5), day(0), ("SO-8",)),
        ("G", "buy", "7.35", day(-4), day(1), ("SO-9",)),
    ]
    assert exceptions(result) == [
        ("late", "F", day(-2), day(0), None, 1),
        ("late", "G", day(-5), day(0), None, 3),
        ("late", "G", day(-4), day(1), None, 4),
    ]


def test_planned_quantities_are_exact_through_levels_and_rounded_up_to_the_stored_scale() -> None:
    result = plan(
        MrpInput(
            start=START,
            horizon_days=7,
            bucket="day",
            items=(PlanItem("X", "make"), PlanItem("Y", "make"), PlanItem("Z", "buy")),
            edges=(
                BomEdge("X", "Y", Decimal("1.0101")),
                BomEdge("Y", "Z", Decimal("0.3333")),
            ),
            demands=(demand("X", day(1), 3, "SO-1"),),
        )
    )
    # Y: 3 x 1.0101 = 3.0303; Z: 3.0303 x 0.3333 = 1.00999899, rounded up to 1.009999.
    assert [r[2] for r in rows(result)] == ["3", "3.0303", "1.009999"]


def test_a_bom_cycle_is_refused() -> None:
    edges = (
        BomEdge("A", "B", Decimal(1)),
        BomEdge("B", "C", Decimal(1)),
        BomEdge("C", "A", Decimal(1)),
    )
    with pytest.raises(BomCycle):
        low_level_codes(["A", "B", "C", "D"], edges)


def test_orders_consume_the_forecast_of_their_bucket() -> None:
    forecasts = [
        demand("A", week(1), 100, "F1"),
        demand("A", week(2), 100, "F2"),
        demand("B", week(1), 10, "F3"),
    ]
    orders = [
        demand("A", week(1) + timedelta(days=2), 30, "SO-1"),
        demand("A", week(2), 150, "SO-2"),
    ]
    left = consume_forecasts(forecasts, orders, START, "week")
    # wk1: 100 forecast - 30 ordered = 70 more expected; wk2: orders exceed the forecast.
    assert [(d.source, d.quantity) for d in left] == [("F1", 70), ("F3", 10)]
