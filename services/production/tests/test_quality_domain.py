"""Quality arithmetic with no database: limits, first-pass yield, defect Pareto."""

from __future__ import annotations

from decimal import Decimal

from services.production.domain.quality import Limits, first_pass_yield, out_of_limits, pareto

D = Decimal


def test_limits_include_their_bounds_and_open_bounds_accept_anything() -> None:
    limits = {"d": Limits(D("9.9"), D("10.1")), "w": Limits(upper=D(2))}
    measured = [("d", D("9.9")), ("d", D("10.2")), ("w", D("-5")), ("w", D("2.01"))]
    assert out_of_limits(measured, limits) == ["d", "w"]
    assert Limits().accepts(D("1e9"))


def test_first_pass_yield_counts_each_orders_first_inspection_only() -> None:
    lines = first_pass_yield(
        [
            ("BIKE", "o1", "fail", 1),
            ("BIKE", "o1", "pass", 2),
            ("BIKE", "o2", "pass", 1),
            ("BIKE", "o3", "pass", 1),
            ("CART", "o4", "fail", 1),
            # a re-inspection whose first attempt fell in an earlier period is no first pass
            ("CART", "o5", "pass", 2),
        ]
    )
    bike, cart = lines
    assert (bike.orders_inspected, bike.passed_first_time, bike.inspections) == (3, 2, 4)
    assert bike.failed_inspections == 1
    assert bike.first_pass_yield == D("0.666667")
    assert (cart.orders_inspected, cart.passed_first_time, cart.inspections) == (1, 0, 2)
    assert cart.first_pass_yield == 0


def test_pareto_orders_codes_by_count_with_cumulative_share() -> None:
    lines = pareto([("DENT", 1), ("SCRATCH", 3), ("DENT", 1), ("BURR", 5)])
    assert [(p.code, p.count, p.share, p.cumulative_share) for p in lines] == [
        ("BURR", 5, D("0.5"), D("0.5")),
        ("SCRATCH", 3, D("0.3"), D("0.8")),
        ("DENT", 2, D("0.2"), D("1")),
    ]
    assert pareto([]) == []
