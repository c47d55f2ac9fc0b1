import random
from pathlib import Path

import pytest

from services.production.domain.scheduling import (
    Job,
    Operation,
    Problem,
    Schedule,
    ScheduledOperation,
    dispatch,
    first_free_slot,
    solve,
    verify,
)
from services.production.domain.scheduling.jssp import parse_jssp
from services.production.domain.scheduling.neighbourhood_search import is_large

JSSP = Path(__file__).resolve().parents[3] / "bench" / "jssp" / "instances"


def random_problem(seed: int, capacities: bool = True) -> Problem:
    rng = random.Random(seed)
    machines = [f"WC{m}" for m in range(rng.randint(2, 5))]
    jobs = tuple(
        Job(
            f"O{j}",
            tuple(
                Operation(rng.choice(machines), rng.randint(0, 30))
                for _ in range(rng.randint(1, 5))
            ),
            release=rng.randint(0, 20),
            due=rng.randint(20, 150),
            weight=rng.randint(1, 3),
        )
        for j in range(rng.randint(3, 12))
    )
    return Problem(jobs, {m: (rng.randint(1, 3) if capacities else 1) for m in machines})


def test_ft06_is_solved_to_its_optimum_55() -> None:
    problem = parse_jssp((JSSP / "ft06.txt").read_text())
    schedule = solve(problem, time_limit_seconds=10)
    assert verify(problem, schedule) == []
    assert schedule.makespan == 55
    assert schedule.status == "optimal"
    assert schedule.lower_bound == 55


@pytest.mark.parametrize("seed", range(8))
def test_every_planner_returns_schedules_the_verifier_accepts(seed: int) -> None:
    problem = random_problem(seed)
    for objective in ("makespan", "tardiness"):
        assert verify(problem, dispatch(problem, objective)) == []
        solved = solve(problem, objective, time_limit_seconds=2)
        assert verify(problem, solved) == []
    assert verify(problem, first_free_slot(problem)) == []


@pytest.mark.parametrize("seed", range(4))
def test_the_solver_is_never_worse_than_the_dispatching_rule(seed: int) -> None:
    problem = random_problem(seed)
    rule = dispatch(problem, "tardiness")
    solved = solve(problem, "tardiness", time_limit_seconds=2)
    assert solved.weighted_tardiness(problem) <= rule.weighted_tardiness(problem)
    assert solved.lower_bound <= solved.weighted_tardiness(problem)


def test_the_verifier_reports_overlap_precedence_and_duration_violations() -> None:
    problem = Problem(
        (Job("A", (Operation("M", 5), Operation("N", 5))), Job("B", (Operation("M", 5),))),
        {"M": 1, "N": 1},
    )
    bad = Schedule(
        [
            ScheduledOperation("A", 0, "M", 0, 5),
            ScheduledOperation("A", 1, "N", 3, 5),
            ScheduledOperation("B", 0, "M", 2, 4),
        ],
        "feasible",
        0,
        0,
    )
    errors = verify(problem, bad)
    assert any("before" in e for e in errors)
    assert any("lasts" in e for e in errors)
    assert any("over capacity" in e for e in errors)


def test_a_machine_with_two_units_runs_two_operations_at_once() -> None:
    problem = Problem(tuple(Job(f"J{i}", (Operation("M", 10),)) for i in range(4)), {"M": 2})
    schedule = solve(problem, time_limit_seconds=2)
    assert verify(problem, schedule) == []
    assert schedule.makespan == 20


def large_shop(seed: int) -> Problem:
    """More operations than one model takes: solved neighbourhood by neighbourhood."""
    rng = random.Random(seed)
    machines = {f"WC{m}": rng.choice([1, 1, 2]) for m in range(8)}
    names = sorted(machines)
    # Every machine stops for a while each "day", so windows must respect calendars too.
    unavailable = {m: tuple((day * 600 + 480, day * 600 + 600) for day in range(40)) for m in names}
    jobs = []
    for j in range(220):
        release = rng.randint(0, 900)
        ops = tuple(Operation(rng.choice(names), rng.randint(5, 60)) for _ in range(5))
        jobs.append(Job(f"O{j}", ops, release, release + rng.randint(200, 2000), rng.randint(1, 3)))
    return Problem(tuple(jobs), machines, unavailable)


def test_a_large_shop_is_improved_by_neighbourhoods_and_stays_valid() -> None:
    problem = large_shop(3)
    assert is_large(problem)
    rule = dispatch(problem, "tardiness")
    solved = solve(problem, "tardiness", time_limit_seconds=8)
    assert verify(problem, solved) == []
    assert solved.weighted_tardiness(problem) < rule.weighted_tardiness(problem)


def test_a_large_shop_by_makespan_is_no_longer_than_the_rule_and_above_its_bound() -> None:
    problem = large_shop(4)
    rule = dispatch(problem, "makespan")
    solved = solve(problem, "makespan", time_limit_seconds=5)
    assert verify(problem, solved) == []
    assert solved.lower_bound <= solved.makespan <= rule.makespan
