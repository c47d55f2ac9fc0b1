"""Large shops: improve a schedule a neighbourhood at a time, each re-solved exactly by CP-SAT.

A whole-shop model of thousands of operations gives CP-SAT too few turns within a time limit.
Here most of the schedule stays fixed and a small part is freed: the operations starting in a
window of time, or those of a few machines in a wider window. CP-SAT re-plans that part around
the fixed rest (which enters as constants: predecessors' ends, successors' starts, busy
intervals), and the result is kept when the whole schedule scores no worse. The neighbourhood
grows while its sub-problems solve to optimality and shrinks when they time out.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from services.production.domain.scheduling.dispatching import score
from services.production.domain.scheduling.model import (
    Job,
    Objective,
    Problem,
    Schedule,
    ScheduledOperation,
)

# Above this many operations the whole-shop model is left for neighbourhoods.
LARGE_PROBLEM_OPERATIONS = 1000
# Small sub-problems find their improvements fast and then spend long proving them optimal:
# many short steps beat few long ones.
STEP_SECONDS = 0.3
MIN_STEP_SECONDS = 0.05
INITIAL_SIZE = 100
MIN_SIZE = 20
MAX_SIZE = 400

Key = tuple[str, int]


def is_large(problem: Problem) -> bool:
    """Whether the problem is solved by neighbourhoods rather than as one model."""
    return sum(len(job.operations) for job in problem.jobs) > LARGE_PROBLEM_OPERATIONS


@dataclass
class _Shop:
    """The problem indexed for building sub-models quickly."""

    problem: Problem
    objective: Objective
    horizon: int
    ops: dict[Key, tuple[str, int]] = field(default_factory=dict)  # machine, duration
    chain_length: dict[str, int] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for job in self.problem.jobs:
            self.jobs[job.id] = job
            self.chain_length[job.id] = len(job.operations)
            for i, op in enumerate(job.operations):
                self.ops[(job.id, i)] = (op.machine, op.duration)


def improve(
    problem: Problem, objective: Objective, start: Schedule, deadline: float, seed: int = 0
) -> Schedule:
    """The best schedule found from `start` by re-solving neighbourhoods until `deadline`."""
    rng = random.Random(seed)
    shop = _Shop(problem, objective, max(start.makespan, 1))
    starts = {(op.job_id, op.index): op.start for op in start.operations}
    best = score(problem, start, objective)
    size = INITIAL_SIZE
    while deadline - time.monotonic() > MIN_STEP_SECONDS:
        free = _neighbourhood(shop, starts, size, rng)
        limit = min(STEP_SECONDS, deadline - time.monotonic())
        solved, optimal = _resolve(shop, starts, free, limit)
        if optimal:
            size = min(MAX_SIZE, size + size // 5 + 1)
        elif solved is None or limit >= STEP_SECONDS:
            size = max(MIN_SIZE, size - size // 5 - 1)
        if solved is None:
            continue
        trial = dict(starts)
        trial.update(solved)
        candidate = _schedule(shop, trial)
        candidate_score = score(problem, candidate, objective)
        if candidate_score <= best:
            starts, best = trial, candidate_score
    result = _schedule(shop, starts)
    result.objective_value = best[0]
    return result


def _schedule(shop: _Shop, starts: dict[Key, int]) -> Schedule:
    return Schedule(
        [
            ScheduledOperation(job, i, shop.ops[(job, i)][0], start, shop.ops[(job, i)][1])
            for (job, i), start in starts.items()
        ],
        "feasible",
        0,
        0,
    )


def _neighbourhood(shop: _Shop, starts: dict[Key, int], size: int, rng: random.Random) -> set[Key]:
    """`size` operations to re-plan: a window of time, or a few machines' share of a wider one.

    One time in four the window is the schedule's end, where the makespan is decided.
    """
    ordered = sorted(starts, key=starts.__getitem__)
    draw = rng.random()
    if draw < 0.25:
        return set(ordered[-size:])
    if draw < 0.6:
        first = rng.randrange(max(1, len(ordered) - size + 1))
        return set(ordered[first : first + size])
    machines = sorted({shop.ops[key][0] for key in ordered})
    chosen = set(rng.sample(machines, min(len(machines), rng.randint(2, 4))))
    on_chosen = [key for key in ordered if shop.ops[key][0] in chosen]
    first = rng.randrange(max(1, len(on_chosen) - size + 1))
    return set(on_chosen[first : first + size])


def _resolve(
    shop: _Shop, starts: dict[Key, int], free: set[Key], seconds: float
) -> tuple[dict[Key, int] | None, bool]:
    """New starts for the freed operations (None if none found) and whether they are optimal."""
    problem = shop.problem
    model = cp_model.CpModel()
    variables: dict[Key, cp_model.IntVar] = {}
    low: dict[Key, int] = {}
    high: dict[Key, int] = {}
    jobs = shop.jobs
    # The freed operations move within the span they occupy now: the sub-model then only meets
    # the fixed work inside that span, which keeps it small whatever the size of the shop.
    lo = min(starts[key] for key in free)
    hi = max(starts[key] + shop.ops[key][1] for key in free)
    for key in free:
        job_id, i = key
        duration = shop.ops[key][1]
        before = (job_id, i - 1)
        after = (job_id, i + 1)
        low[key] = max(lo, jobs[job_id].release)
        if i and before not in free:
            low[key] = max(low[key], starts[before] + shop.ops[before][1])
        high[key] = hi - duration
        if i + 1 < shop.chain_length[job_id] and after not in free:
            high[key] = min(high[key], starts[after] - duration)
        variables[key] = model.new_int_var(low[key], high[key], f"s_{job_id}_{i}")
        model.add_hint(variables[key], starts[key])
    for key, var in variables.items():
        after = (key[0], key[1] + 1)
        if after in variables:
            model.add(variables[after] >= var + shop.ops[key][1])
    busy: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    fixed: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    for key, var in variables.items():
        machine, duration = shop.ops[key]
        if duration > 0:
            busy[machine].append(model.new_fixed_size_interval_var(var, duration, ""))
    for key, at in starts.items():
        machine, duration = shop.ops[key]
        if key in free or machine not in busy or duration <= 0:
            continue
        if at < hi and at + duration > lo:
            fixed[machine].append(model.new_fixed_size_interval_var(at, duration, ""))
    for machine, intervals in busy.items():
        blocked = [
            model.new_fixed_size_interval_var(start, end - start, "")
            for start, end in problem.unavailable_on(machine)
            if end > start and start < hi and end > lo
        ]
        capacity = problem.capacity_of(machine)
        if capacity == 1:
            model.add_no_overlap(intervals + fixed[machine] + blocked)
        else:
            model.add_cumulative(
                intervals + fixed[machine] + blocked,
                [1] * (len(intervals) + len(fixed[machine])) + [capacity] * len(blocked),
                capacity,
            )
    ends = [variables[key] + shop.ops[key][1] for key in variables]
    if shop.objective == "tardiness":
        # Tardiness alone: a tie-break term makes each step much slower to prove optimal, and the
        # whole schedule's makespan still decides between equally tardy results (see `improve`).
        late_terms = []
        for key in variables:
            job = jobs[key[0]]
            if key[1] + 1 == shop.chain_length[job.id] and job.due is not None:
                late = model.new_int_var(0, max(0, high[key] + shop.ops[key][1] - job.due), "")
                model.add(late >= variables[key] + shop.ops[key][1] - job.due)
                late_terms.append(job.weight * late)
        model.minimize(sum(late_terms))
    else:
        fixed_end = max(
            (start + shop.ops[key][1] for key, start in starts.items() if key not in free),
            default=0,
        )
        makespan = model.new_int_var(fixed_end, shop.horizon, "makespan")
        for end in ends:
            model.add(makespan >= end)
        # Most windows cannot touch the makespan; left-shifting what they free is what they can
        # do, and it makes room for the windows that can.
        model.minimize(makespan * (len(ends) * (shop.horizon + 1) + 1) + sum(ends))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    return {key: solver.value(var) for key, var in variables.items()}, status == cp_model.OPTIMAL
