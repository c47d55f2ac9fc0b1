"""Problem and schedule model. Times are integer minutes from the horizon start."""

from dataclasses import dataclass, field
from typing import Literal

Objective = Literal["makespan", "tardiness"]


@dataclass(frozen=True)
class Operation:
    """One operation of a job: runs on `machine` for `duration` minutes, non-preemptive."""

    machine: str
    duration: int


@dataclass(frozen=True)
class Job:
    """A chain of operations executed in the given order."""

    id: str
    operations: tuple[Operation, ...]
    release: int = 0
    due: int | None = None
    weight: int = 1


@dataclass(frozen=True)
class Problem:
    """Jobs on machines; each machine runs at most `capacity` operations at once.

    `unavailable` lists, per machine, periods [start, end) in which it runs nothing (outside its
    shifts, holidays, downtime). An operation never spans such a period: it runs wholly inside
    one stretch of working time.
    """

    jobs: tuple[Job, ...]
    capacity: dict[str, int] = field(default_factory=dict)
    unavailable: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    def capacity_of(self, machine: str) -> int:
        return self.capacity.get(machine, 1)

    def unavailable_on(self, machine: str) -> tuple[tuple[int, int], ...]:
        return self.unavailable.get(machine, ())

    @property
    def machines(self) -> list[str]:
        names = set(self.capacity) | set(self.unavailable)
        for job in self.jobs:
            names.update(op.machine for op in job.operations)
        return sorted(names)


@dataclass(frozen=True)
class ScheduledOperation:
    job_id: str
    index: int
    machine: str
    start: int
    duration: int

    @property
    def end(self) -> int:
        return self.start + self.duration


@dataclass
class Schedule:
    """A solution: start times per operation, its status and the proven lower bound."""

    operations: list[ScheduledOperation]
    status: Literal["optimal", "feasible"]
    lower_bound: int
    objective_value: int

    @property
    def makespan(self) -> int:
        return max((op.end for op in self.operations), default=0)

    def job_ends(self) -> dict[str, int]:
        ends: dict[str, int] = {}
        for op in self.operations:
            ends[op.job_id] = max(ends.get(op.job_id, 0), op.end)
        return ends

    def weighted_tardiness(self, problem: Problem) -> int:
        ends = self.job_ends()
        return sum(
            job.weight * max(0, ends.get(job.id, 0) - job.due)
            for job in problem.jobs
            if job.due is not None
        )
