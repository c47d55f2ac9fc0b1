"""Dispatching rules and the first-free-slot planner: fast schedules without search.

Both place operations one at a time into each machine's capacity profile, so a placement costs
a bisection and the segments it skips rather than a scan of everything placed before.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable

from services.production.domain.scheduling.model import (
    Objective,
    Problem,
    Schedule,
    ScheduledOperation,
)
from services.production.domain.scheduling.profile import CapacityProfile

Priority = Callable[[int, int, int], tuple[float, ...]]


def profiles_of(problem: Problem) -> dict[str, CapacityProfile]:
    """An empty profile per machine, its unavailable periods already blocked."""
    return {
        m: CapacityProfile(problem.capacity_of(m), list(problem.unavailable_on(m)))
        for m in problem.machines
    }


def list_schedule(problem: Problem, priority: Priority) -> Schedule:
    """Serial schedule generation: place the ready operation that can start first, ties by rule.

    Candidates sit in a heap keyed by (earliest start, priority). Placing an operation only ever
    delays the others on that machine, so a stale key is a lower bound: when one surfaces it is
    recomputed and pushed back, and a fresh one at the top is the true minimum.
    """
    profiles = profiles_of(problem)
    version = dict.fromkeys(profiles, 0)
    next_index = [0] * len(problem.jobs)
    # Earliest start of each job's next operation as last computed: placements only delay it,
    # so a recomputation can search from there instead of from the job's ready time.
    ready_at = [job.release for job in problem.jobs]
    result: list[ScheduledOperation] = []
    heap: list[tuple[tuple[float, ...], int, int]] = []

    def push(j: int) -> None:
        op = problem.jobs[j].operations[next_index[j]]
        start = profiles[op.machine].earliest_fit(ready_at[j], op.duration)
        ready_at[j] = start
        heapq.heappush(heap, ((start, *priority(j, next_index[j], start)), j, version[op.machine]))

    for j, job in enumerate(problem.jobs):
        if job.operations:
            push(j)
    while heap:
        key, j, seen = heapq.heappop(heap)
        job = problem.jobs[j]
        op = job.operations[next_index[j]]
        if seen != version[op.machine]:
            push(j)
            continue
        start = int(key[0])
        profiles[op.machine].reserve(start, start + op.duration)
        version[op.machine] += 1
        result.append(ScheduledOperation(job.id, next_index[j], op.machine, start, op.duration))
        ready_at[j] = start + op.duration
        next_index[j] += 1
        if next_index[j] < len(job.operations):
            push(j)
    return Schedule(result, "feasible", 0, 0)


def score(problem: Problem, schedule: Schedule, objective: Objective) -> tuple[int, int]:
    """What the objective compares: (weighted tardiness, makespan) or (makespan, 0)."""
    if objective == "tardiness":
        return (schedule.weighted_tardiness(problem), schedule.makespan)
    return (schedule.makespan, 0)


def dispatch(problem: Problem, objective: Objective = "makespan") -> Schedule:
    """Best of a few dispatching rules (most work remaining, earliest due date, shortest op,
    weighted slack; for tardiness also the apparent tardiness cost)."""
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

    total_ops = sum(len(job.operations) for job in problem.jobs)
    mean_duration = max(1.0, horizon / max(1, total_ops))

    def atc(lookahead: float) -> Priority:
        # Apparent tardiness cost: weight per minute of work, discounted by the slack left
        # (in units of `lookahead` mean operations).
        def priority(j: int, i: int, start: int) -> tuple[float, ...]:
            job = problem.jobs[j]
            duration = max(1, job.operations[i].duration)
            due = job.due if job.due is not None else horizon
            slack = max(0.0, due - start - work_left[j][i])
            return (-(job.weight / duration) * math.exp(-slack / (lookahead * mean_duration)), j)

        return priority

    rules: tuple[Priority, ...] = (mwkr, edd, spt, wslack)
    if objective == "tardiness":
        rules += (atc(2), atc(8))
    best: Schedule | None = None
    for rule in rules:
        candidate = list_schedule(problem, rule)
        if best is None or score(problem, candidate, objective) < score(problem, best, objective):
            best = candidate
    assert best is not None
    best.objective_value = score(problem, best, objective)[0]
    return best


def first_free_slot(problem: Problem) -> Schedule:
    """The ERP way: order by order, operation by operation, into the earliest free slot."""
    profiles = profiles_of(problem)
    result: list[ScheduledOperation] = []
    ordered = sorted(
        problem.jobs, key=lambda job: (job.due if job.due is not None else 0, -job.weight)
    )
    for job in ordered:
        ready = job.release
        for i, op in enumerate(job.operations):
            start = profiles[op.machine].earliest_fit(ready, op.duration)
            profiles[op.machine].reserve(start, start + op.duration)
            result.append(ScheduledOperation(job.id, i, op.machine, start, op.duration))
            ready = start + op.duration
    schedule = Schedule(result, "feasible", 0, 0)
    schedule.objective_value = schedule.makespan
    return schedule
