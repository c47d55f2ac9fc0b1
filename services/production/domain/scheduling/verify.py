"""Independent check of a schedule: precedence, release dates, durations, availability, capacity."""

from bisect import bisect_left

from services.production.domain.scheduling.model import Problem, Schedule


def verify(problem: Problem, schedule: Schedule) -> list[str]:
    """Return the violations found (empty when the schedule is valid)."""
    errors: list[str] = []
    placed = {(op.job_id, op.index): op for op in schedule.operations}
    for job in problem.jobs:
        previous_end = job.release
        for index, operation in enumerate(job.operations):
            op = placed.get((job.id, index))
            if op is None:
                errors.append(f"{job.id}[{index}] not scheduled")
                continue
            if op.machine != operation.machine:
                errors.append(f"{job.id}[{index}] on {op.machine}, expected {operation.machine}")
            if op.duration != operation.duration:
                errors.append(
                    f"{job.id}[{index}] lasts {op.duration}, expected {operation.duration}"
                )
            if op.start < previous_end:
                errors.append(f"{job.id}[{index}] starts at {op.start} before {previous_end}")
            previous_end = op.end
    expected = sum(len(job.operations) for job in problem.jobs)
    if len(placed) != len(schedule.operations) or len(placed) != expected:
        errors.append("operations missing or duplicated")
    for machine in problem.machines:
        blocked = sorted(problem.unavailable_on(machine))
        block_starts = [start for start, _ in blocked]
        points: list[tuple[int, int]] = []
        for op in schedule.operations:
            if op.machine != machine or op.duration <= 0:
                continue
            points += [(op.start, 1), (op.end, -1)]
            k = bisect_left(block_starts, op.end)
            # Blocks may overlap each other, so look back past every one that starts before the end.
            if any(start < op.end and end > op.start for start, end in blocked[:k]):
                errors.append(
                    f"{op.job_id}[{op.index}] on {machine} runs in unavailable time "
                    f"[{op.start}, {op.end})"
                )
        load = 0
        for time, delta in sorted(points):
            load += delta
            if load > problem.capacity_of(machine):
                errors.append(f"{machine} over capacity at {time}")
                break
    return errors
