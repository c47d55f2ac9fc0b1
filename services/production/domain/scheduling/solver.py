"""The CP-SAT model, solved within a wall-clock budget that includes the dispatching fallback.

Operations are non-preemptive; a job's operations run in their given order; each machine runs
at most its capacity of operations at once and nothing in its unavailable periods. Times are
integer minutes.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from services.production.domain.scheduling.dispatching import dispatch, score
from services.production.domain.scheduling.model import (
    Objective,
    Problem,
    Schedule,
    ScheduledOperation,
)
from services.production.domain.scheduling.neighbourhood_search import improve, is_large

# Scheduling problems gain nothing from these general-purpose helpers; with two workers the
# second one otherwise spends most of its turns on them instead of on scheduling neighbourhoods.
IDLE_SUBSOLVERS = ["feasibility_pump", "ls", "fj", "rins/rens"]
MIN_SEARCH_SECONDS = 0.2
# CP-SAT stops its workers a little after its limit, and reading the answer back takes time too:
# the search ends this share of the budget early (at most a second) so the whole call fits.
FINISH_SHARE = 0.02
FINISH_SECONDS_MAX = 1.0


class _Model:
    """The CP-SAT variables of a problem."""

    def __init__(self, problem: Problem, objective: Objective, horizon: int) -> None:
        model = cp_model.CpModel()
        self.model = model
        self.horizon = horizon
        self.starts: dict[tuple[str, int], cp_model.IntVar] = {}
        self.ends: dict[str, cp_model.LinearExprT] = {}
        intervals: dict[str, list[cp_model.IntervalVar]] = {m: [] for m in problem.machines}
        for job in problem.jobs:
            previous: cp_model.LinearExprT = job.release
            for i, op in enumerate(job.operations):
                start = model.new_int_var(job.release, horizon - op.duration, f"s_{job.id}_{i}")
                if op.duration > 0:
                    intervals[op.machine].append(
                        model.new_fixed_size_interval_var(start, op.duration, f"i_{job.id}_{i}")
                    )
                if i:
                    model.add(start >= previous)
                previous = start + op.duration
                self.starts[(job.id, i)] = start
            self.ends[job.id] = previous
        for machine, busy in intervals.items():
            capacity = problem.capacity_of(machine)
            blocked = [
                model.new_fixed_size_interval_var(start, end - start, f"x_{machine}_{k}")
                for k, (start, end) in enumerate(problem.unavailable_on(machine))
                if end > start and start < horizon
            ]
            if not busy:
                continue
            if capacity == 1:
                model.add_no_overlap(busy + blocked)
            else:
                model.add_cumulative(
                    busy + blocked, [1] * len(busy) + [capacity] * len(blocked), capacity
                )
        self.makespan = model.new_int_var(0, horizon, "makespan")
        for end in self.ends.values():
            model.add(self.makespan >= end)
        if objective == "tardiness":
            late_terms = []
            for job in problem.jobs:
                if job.due is None:
                    continue
                late = model.new_int_var(0, max(0, horizon - job.due), f"t_{job.id}")
                model.add(late >= self.ends[job.id] - job.due)
                late_terms.append(job.weight * late)
            # Tardiness first, makespan as the tie-break.
            model.minimize(sum(late_terms) * (horizon + 1) + self.makespan)
        else:
            model.minimize(self.makespan)

    def hint(self, schedule: Schedule) -> None:
        for op in schedule.operations:
            self.model.add_hint(self.starts[(op.job_id, op.index)], op.start)


def solve_horizon(
    problem: Problem, objective: Objective, fallback: Schedule, plain: bool = False
) -> int:
    """The latest end the solver considers, given the dispatch schedule."""
    if plain:
        return max((j.release for j in problem.jobs), default=0) + sum(
            op.duration for job in problem.jobs for op in job.operations
        )
    if objective == "makespan":
        return fallback.makespan  # no better schedule ends later than a known one
    # A schedule with less tardiness may end later; leave room for it.
    return fallback.makespan + fallback.makespan // 4


def simple_bound(problem: Problem) -> int:
    """No schedule ends before its longest job or its busiest machine's work (calendars aside)."""
    longest = max(
        (job.release + sum(op.duration for op in job.operations) for job in problem.jobs), default=0
    )
    work: dict[str, int] = {}
    for job in problem.jobs:
        for op in job.operations:
            work[op.machine] = work.get(op.machine, 0) + op.duration
    busiest = max(
        (-(-total // problem.capacity_of(machine)) for machine, total in work.items()), default=0
    )
    return max(longest, busiest)


def solve(
    problem: Problem,
    objective: Objective = "makespan",
    time_limit_seconds: float = 10.0,
    workers: int = 2,
    hint: bool = True,
    plain: bool = False,
    fallback: Schedule | None = None,
    work_limit: float | None = None,
) -> Schedule:
    """CP-SAT within the time limit (dispatching included); the dispatch schedule is the fallback.

    The best dispatching schedule bounds the horizon and is kept when the search finds nothing
    better (`fallback` is that schedule when the caller already has it). `plain` solves the bare model (horizon = sum of durations, default parameters) for
    comparison. `work_limit` caps the search by CP-SAT's deterministic time instead (the wall
    clock then only stops a runaway), so benchmarks on a busy machine compare like with like.
    """
    began = time.monotonic()
    if fallback is None:
        fallback = dispatch(problem, objective)
    horizon = solve_horizon(problem, objective, fallback, plain)
    if horizon == 0:
        fallback.status = "optimal"
        return fallback
    finish = min(FINISH_SECONDS_MAX, FINISH_SHARE * time_limit_seconds)
    if is_large(problem) and not plain:
        improved = improve(problem, objective, fallback, began + time_limit_seconds - finish)
        improved.lower_bound = simple_bound(problem) if objective == "makespan" else 0
        return improved
    built = _Model(problem, objective, horizon)
    if hint:
        built.hint(fallback)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(
        MIN_SEARCH_SECONDS, time_limit_seconds - finish - (time.monotonic() - began)
    )
    if work_limit is not None:
        solver.parameters.max_deterministic_time = work_limit
        solver.parameters.max_time_in_seconds = 100 * max(work_limit, time_limit_seconds)
    solver.parameters.num_workers = workers
    if not plain:
        solver.parameters.ignore_subsolvers.extend(IDLE_SUBSOLVERS)
    status = solver.solve(built.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return fallback
    solved = Schedule(
        [
            ScheduledOperation(
                job.id, i, op.machine, solver.value(built.starts[(job.id, i)]), op.duration
            )
            for job in problem.jobs
            for i, op in enumerate(job.operations)
        ],
        "optimal" if status == cp_model.OPTIMAL else "feasible",
        0,
        0,
    )
    bound = int(solver.best_objective_bound)
    if objective == "tardiness":
        bound //= horizon + 1
    solved.objective_value = score(problem, solved, objective)[0]
    solved.lower_bound = bound
    if not plain and score(problem, solved, objective) > score(problem, fallback, objective):
        fallback.lower_bound = bound
        return fallback
    return solved
