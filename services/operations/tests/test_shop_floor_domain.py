"""The shop floor's rules as plain functions, with no database or broker."""

from __future__ import annotations

from decimal import Decimal

from services.operations.domain.kpis import oee
from services.operations.domain.shop_floor import Operation, Wait, reached, report_limit, waits

SAW = Operation(10, "SAW", "started", Decimal(20), Decimal(6))


def test_a_task_waits_for_all_of_the_previous_operation_unless_its_routing_allows_overlap() -> None:
    assert waits(SAW, None, "reserved") == [
        Wait("previous_operation", 10, "SAW", Decimal(6), Decimal(20))
    ]
    assert waits(SAW, Decimal(5), "reserved") == []
    assert waits(SAW, Decimal(50), "reserved")[0].needed == Decimal(20)


def test_a_completed_previous_operation_and_reserved_materials_make_a_task_ready() -> None:
    done = Operation(10, "SAW", "completed", Decimal(20), Decimal(18))
    assert waits(done, None, "reserved") == []
    assert waits(None, None, "reserved") == []
    assert waits(None, None, "short") == [Wait("materials", materials_status="short")]
    assert waits(None, None, None) == [Wait("materials", materials_status="unknown")]


def test_what_reached_an_operation_and_the_tolerance_bound_its_reports() -> None:
    assert reached(None, Decimal(20)) == 20
    assert reached(SAW, Decimal(20)) == 6
    assert report_limit(Decimal(20), Decimal(0)) == 20
    assert report_limit(Decimal(18), Decimal(10)) == Decimal("19.8")


def test_pauses_count_against_availability_by_reason_beside_downtime() -> None:
    figures = oee(
        Decimal(480),
        Decimal(60),
        [],
        paused={"material": Decimal(30), "break": Decimal(15)},
        downtime_by_reason={"breakdown": Decimal(60)},
    )
    assert (figures.run_minutes, figures.paused_minutes) == (Decimal(375), Decimal(45))
    assert figures.losses == (
        ("breakdown", Decimal(60)),
        ("material", Decimal(30)),
        ("break", Decimal(15)),
    )
    assert figures.availability == Decimal("0.78125")
