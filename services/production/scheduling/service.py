"""What-if solving: validate raw jobs and machines, solve, answer; nothing stored."""

from __future__ import annotations

import anyio

from services.production.domain.scheduling import Job, Operation, Problem, solve, verify
from services.production.scheduling.schemas import (
    MAX_OPERATIONS,
    JobOut,
    MachineIn,
    PlacedOperation,
    SolveRequest,
    SolveResponse,
)
from shared.errors import InvalidInput


def machine_capacities(data: SolveRequest) -> list[tuple[int | str, int]]:
    """Each machine as the request names it, with its parallel units."""
    if isinstance(data.machines, int):
        return [(number, 1) for number in range(data.machines)]
    return [
        (machine.name, machine.capacity) if isinstance(machine, MachineIn) else (machine, 1)
        for machine in data.machines
    ]


def build_problem(data: SolveRequest) -> Problem:
    """The domain problem, or a 422 naming what is wrong."""
    capacity: dict[str, int] = {}
    for reference, units in machine_capacities(data):
        name = str(reference)
        if name in capacity:
            raise InvalidInput(f"Machine {name} is listed twice", duplicate_machines=[reference])
        capacity[name] = units
    ids = [job.id for job in data.jobs]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InvalidInput("Job ids must be unique", duplicate_jobs=duplicates)
    named = {str(op.machine): op.machine for job in data.jobs for op in job.operations}
    unknown = [named[name] for name in sorted(set(named) - set(capacity))]
    if unknown:
        raise InvalidInput("Operations name unknown machines", unknown_machines=unknown)
    size = sum(len(job.operations) for job in data.jobs)
    if size > MAX_OPERATIONS:
        raise InvalidInput(
            f"At most {MAX_OPERATIONS} operations", operations=size, limit=MAX_OPERATIONS
        )
    jobs = tuple(
        Job(
            job.id,
            tuple(Operation(str(op.machine), op.duration) for op in job.operations),
            job.release,
            job.due,
            job.weight,
        )
        for job in data.jobs
    )
    return Problem(jobs, capacity)


async def solve_what_if(data: SolveRequest) -> SolveResponse:
    problem = build_problem(data)
    as_named = {str(reference): reference for reference, _ in machine_capacities(data)}
    schedule = await anyio.to_thread.run_sync(
        lambda: solve(problem, data.objective, data.time_limit_seconds)
    )
    errors = verify(problem, schedule)
    if errors:
        raise RuntimeError(f"schedule failed verification: {errors[:3]}")
    by_job: dict[str, list[PlacedOperation]] = {job.id: [] for job in problem.jobs}
    for op in sorted(schedule.operations, key=lambda o: (o.job_id, o.index)):
        by_job[op.job_id].append(
            PlacedOperation(machine=as_named[op.machine], start=op.start, duration=op.duration)
        )
    return SolveResponse(
        status=schedule.status,
        makespan=schedule.makespan,
        lower_bound=schedule.lower_bound,
        weighted_tardiness=schedule.weighted_tardiness(problem),
        jobs=[JobOut(id=job.id, operations=by_job[job.id]) for job in problem.jobs],
    )
