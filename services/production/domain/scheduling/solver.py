"""Dispatching rules, the first-free-slot baseline and the CP-SAT model.

Operations are non-preemptive; a job's operations run in their given order; each machine
runs at most its capacity of operations at any time. Times are integer minutes.
"""

from collections.abc import Callable

from ortools.sat.python import cp_model

from services.production.domain.scheduling.model import (
    Objective,
    Problem,
    Schedule,
    ScheduledOperation,
)

Placed = dict[str, list[tuple[int, int]]]


def _earliest_start(
    placed: list[tuple[int, int]], capacity: int, earliest: int, duration: int
) -> int:
    """Earliest t >= earliest where [t, t+duration) fits under the capacity."""
    candidates = sorted({earliest} | {end for _, end in placed if end > earliest})
    for t in candidates:
        if duration == 0:
            return t
        overlapping = [(s, e) for s, e in placed if s < t + duration and e > t]
        if len(overlapping) < capacity:
            return t
        points = sorted({t} | {s for s, _ in overlapping if s > t})
        if all(sum(1 for s, e in overlapping if s <= p < e) < capacity for p in points):
            return t
    return max([earliest] + [end for _, end in placed])


def _list_schedule(
    problem: Problem, priority: Callable[[int, int, int], tuple[float, ...]]
) -> Schedule:
    """Serial schedule generation: repeatedly place the ready operation of highest priority."""
    placed: Placed = {m: [] for m in problem.machines}
    next_index = [0] * len(problem.jobs)
    ready_at = [job.release for job in problem.jobs]
    result: list[ScheduledOperation] = []
    remaining = sum(len(job.operations) for job in problem.jobs)
    cached: dict[int, int] = {}
    while remaining:
        best: tuple[tuple[float, ...], int, int] | None = None
        for j, job in enumerate(problem.jobs):
            i = next_index[j]
            if i >= len(job.operations):
                continue
            op = job.operations[i]
            if j not in cached:
                cached[j] = _earliest_start(
                    placed[op.machine], problem.capacity_of(op.machine), ready_at[j], op.duration
                )
            start = cached[j]
            key = (start, *priority(j, i, start))
            if best is None or key < best[0]:
                best = (key, j, int(start))
        assert best is not None
        _, j, start = best
        job = problem.jobs[j]
        op = job.operations[next_index[j]]
        placed[op.machine].append((start, start + op.duration))
        result.append(ScheduledOperation(job.id, next_index[j], op.machine, start, op.duration))
        ready_at[j] = start + op.duration
        next_index[j] += 1
        remaining -= 1
        cached.pop(j, None)
        for k, other in enumerate(problem.jobs):
            if k in cached and other.operations[next_index[k]].machine == op.machine:
                del cached[k]
    schedule = Schedule(result, "feasible", 0, 0)
    return schedule


def _score(problem: Problem, schedule: Schedule, objective: Objective) -> tuple[int, int]:
    if objective == "tardiness":
        return (schedule.weighted_tardiness(problem), schedule.makespan)
    return (schedule.makespan, 0)


def dispatch(problem: Problem, objective: Objective = "makespan") -> Schedule:
    """Best of a few dispatching rules (most work remaining, earliest due date, shortest op)."""
    work_left = [
        [sum(op.duration for op in job.operations[i:]) for i in range(len(job.operations))]
        for job in problem.jobs
    ]
    horizon = sum(sum(op.duration for op in job.operations) for job in problem.jobs)

    def mwkr(j: int, i: int, _: int) -> tuple[float, ...]:
        return (-work_left[j][i], problem.jobs[j].operations[i].duration)

    def edd(j: int, i: int, _: int) -> tuple[float, ...]:
        due = problem.jobs[j].due
        return ((due if due is not None else horizon) - work_left[j][i], -problem.jobs[j].weight)

    def spt(j: int, i: int, _: int) -> tuple[float, ...]:
        return (problem.jobs[j].operations[i].duration, -work_left[j][i])

    def wslack(j: int, i: int, start: int) -> tuple[float, ...]:
        due = problem.jobs[j].due
        slack = (due if due is not None else horizon) - start - work_left[j][i]
        return (slack / problem.jobs[j].weight, -work_left[j][i])

    best: Schedule | None = None
    for rule in (mwkr, edd, spt, wslack):
        candidate = _list_schedule(problem, rule)
        if best is None or _score(problem, candidate, objective) < _score(problem, best, objective):
            best = candidate
    assert best is not None
    best.objective_value = _score(problem, best, objective)[0]
    return best


def first_free_slot(problem: Problem) -> Schedule:
    """The ERP way: order by order, operation by operation, into the earliest free slot."""
    placed: Placed = {m: [] for m in problem.machines}
    result: list[ScheduledOperation] = []
    ordered = sorted(
        problem.jobs, key=lambda job: (job.due if job.due is not None else 0, -job.weight)
    )
    for job in ordered:
        ready = job.release
        for i, op in enumerate(job.operations):
            start = _earliest_start(
                placed[op.machine], problem.capacity_of(op.machine), ready, op.duration
            )
            placed[op.machine].append((start, start + op.duration))
            result.append(ScheduledOperation(job.id, i, op.machine, start, op.duration))
            ready = start + op.duration
    schedule = Schedule(result, "feasible", 0, 0)
    schedule.objective_value = schedule.makespan
    return schedule


def solve(
    problem: Problem,
    objective: Objective = "makespan",
    time_limit_seconds: float = 10.0,
    workers: int = 2,
    hint: bool = True,
    plain: bool = False,
) -> Schedule:
    """CP-SAT, warm-started from the dispatching schedule, which is kept if nothing better is found."""
    start_schedule = dispatch(problem, objective)
    horizon = start_schedule.makespan
    if plain:
        horizon = max(j.release for j in problem.jobs) + sum(
            op.duration for job in problem.jobs for op in job.operations
        )
    if horizon == 0:
        start_schedule.status = "optimal"
        return start_schedule
    model = cp_model.CpModel()
    starts: dict[tuple[str, int], cp_model.IntVar] = {}
    ends: dict[str, cp_model.IntVar] = {}
    by_machine: dict[str, list[tuple[cp_model.IntervalVar, int]]] = {
        m: [] for m in problem.machines
    }
    for job in problem.jobs:
        previous = None
        for i, op in enumerate(job.operations):
            start = model.new_int_var(job.release, horizon - op.duration, f"s_{job.id}_{i}")
            interval = model.new_fixed_size_interval_var(start, op.duration, f"i_{job.id}_{i}")
            by_machine[op.machine].append((interval, op.duration))
            if previous is not None:
                model.add(start >= previous)
            previous = start + op.duration
            starts[(job.id, i)] = start
        end = model.new_int_var(0, horizon, f"e_{job.id}")
        model.add(end == previous if previous is not None else end == job.release)
        ends[job.id] = end
    for machine, intervals in by_machine.items():
        capacity = problem.capacity_of(machine)
        if capacity == 1:
            model.add_no_overlap([iv for iv, _ in intervals])
        elif intervals:
            model.add_cumulative([iv for iv, _ in intervals], [1] * len(intervals), capacity)
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, list(ends.values()))
    if objective == "tardiness":
        tardiness = []
        for job in problem.jobs:
            if job.due is None:
                continue
            late = model.new_int_var(0, horizon, f"t_{job.id}")
            model.add(late >= ends[job.id] - job.due)
            tardiness.append(job.weight * late)
        model.minimize(sum(tardiness) * (horizon + 1) + makespan)
    else:
        model.minimize(makespan)
    if hint:
        for op in start_schedule.operations:
            model.add_hint(starts[(op.job_id, op.index)], op.start)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_seconds
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start_schedule
    solved = Schedule(
        [
            ScheduledOperation(
                job.id, i, op.machine, solver.value(starts[(job.id, i)]), op.duration
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
        bound = bound // (horizon + 1)
        solved.objective_value = solved.weighted_tardiness(problem)
    else:
        solved.objective_value = solved.makespan
    solved.lower_bound = bound
    if not plain and _score(problem, solved, objective) > _score(
        problem, start_schedule, objective
    ):
        start_schedule.lower_bound = bound
        return start_schedule
    return solved
