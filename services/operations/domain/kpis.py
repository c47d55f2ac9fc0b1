"""Shop-floor KPIs from plain facts: OEE, utilisation, throughput, adherence, on-time completion.

Every ratio is a Decimal between the two figures it is computed from; a ratio whose denominator
is zero is 0 (nothing was planned, run or produced, so nothing can be claimed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from shared.numbers import quantize

ZERO = Decimal(0)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator / denominator at the project's scale; 0 when the denominator is 0."""
    return quantize(numerator / denominator) if denominator > 0 else quantize(ZERO)


@dataclass(frozen=True)
class CompletedTask:
    """What the KPIs need of a task finished in the window."""

    quantity: Decimal
    run_minutes: Decimal
    good: Decimal
    scrap: Decimal
    worked_minutes: Decimal
    planned_start: datetime
    planned_end: datetime
    started_at: datetime
    completed_at: datetime

    @property
    def ideal_minutes(self) -> Decimal:
        """Ideal cycle time (scheduled run minutes per unit) times the units produced."""
        if self.quantity <= 0:
            return ZERO
        return self.run_minutes / self.quantity * (self.good + self.scrap)


@dataclass(frozen=True)
class Oee:
    """Availability x performance x quality, with the figures they come from."""

    planned_minutes: Decimal
    downtime_minutes: Decimal
    run_minutes: Decimal
    ideal_minutes: Decimal
    good: Decimal
    total: Decimal
    paused_minutes: Decimal = ZERO
    losses: tuple[tuple[str, Decimal], ...] = ()
    """Minutes of availability lost, by reason (downtime by kind, pauses by loss reason)."""

    @property
    def availability(self) -> Decimal:
        """Run time over planned production time."""
        return ratio(self.run_minutes, self.planned_minutes)

    @property
    def performance(self) -> Decimal:
        """Ideal time for the units made over run time (above 1 if the ideal rate is pessimistic)."""
        return ratio(self.ideal_minutes, self.run_minutes)

    @property
    def quality(self) -> Decimal:
        """Good units over all units made."""
        return ratio(self.good, self.total)

    @property
    def oee(self) -> Decimal:
        """The product of availability, performance and quality."""
        return quantize(self.availability * self.performance * self.quality)

    def __add__(self, other: Oee) -> Oee:
        return Oee(
            self.planned_minutes + other.planned_minutes,
            self.downtime_minutes + other.downtime_minutes,
            self.run_minutes + other.run_minutes,
            self.ideal_minutes + other.ideal_minutes,
            self.good + other.good,
            self.total + other.total,
            self.paused_minutes + other.paused_minutes,
            merge_losses(dict(self.losses), dict(other.losses)),
        )


def merge_losses(*parts: Mapping[str, Decimal]) -> tuple[tuple[str, Decimal], ...]:
    """Loss minutes of several sources added up by reason, biggest first."""
    total: dict[str, Decimal] = {}
    for part in parts:
        for reason, minutes in part.items():
            total[reason] = total.get(reason, ZERO) + minutes
    return tuple(
        sorted(((r, quantize(m)) for r, m in total.items() if m > 0), key=lambda x: (-x[1], x[0]))
    )


NO_OEE = Oee(ZERO, ZERO, ZERO, ZERO, ZERO, ZERO)


def oee(
    planned_minutes: Decimal,
    downtime_minutes: Decimal,
    completed: Iterable[CompletedTask],
    paused: Mapping[str, Decimal] | None = None,
    downtime_by_reason: Mapping[str, Decimal] | None = None,
) -> Oee:
    """OEE of a work center over a window from its planned time, downtime and paused time
    (by loss reason) in it, and the tasks done; pauses count against availability too."""
    tasks = list(completed)
    # Rounded first, so run = planned - downtime - paused holds exactly in the figures shown.
    planned = quantize(planned_minutes)
    downtime = quantize(min(downtime_minutes, planned_minutes))
    pauses = quantize(min(sum((paused or {}).values(), ZERO), planned - downtime))
    return Oee(
        planned_minutes=planned,
        downtime_minutes=downtime,
        run_minutes=planned - downtime - pauses,
        ideal_minutes=quantize(sum((t.ideal_minutes for t in tasks), ZERO)),
        good=quantize(sum((t.good for t in tasks), ZERO)),
        total=quantize(sum((t.good + t.scrap for t in tasks), ZERO)),
        paused_minutes=pauses,
        losses=merge_losses(downtime_by_reason or {}, paused or {}),
    )


@dataclass(frozen=True)
class Flow:
    """Utilisation, throughput, adherence and on-time figures of a window."""

    available_minutes: Decimal
    worked_minutes: Decimal
    window_hours: Decimal
    completed_tasks: int
    good_quantity: Decimal
    started_on_time: int
    finished_on_time: int

    @property
    def utilisation(self) -> Decimal:
        """Worked minutes over available minutes (planned time less downtime, times capacity)."""
        return ratio(self.worked_minutes, self.available_minutes)

    @property
    def throughput_per_hour(self) -> Decimal:
        """Good units completed per hour of the window."""
        return ratio(self.good_quantity, self.window_hours)

    @property
    def schedule_adherence(self) -> Decimal:
        """Share of completed tasks that started within the tolerance of their planned start."""
        return ratio(Decimal(self.started_on_time), Decimal(self.completed_tasks))

    @property
    def on_time_completion(self) -> Decimal:
        """Share of completed tasks finished by their planned end."""
        return ratio(Decimal(self.finished_on_time), Decimal(self.completed_tasks))

    def __add__(self, other: Flow) -> Flow:
        return Flow(
            self.available_minutes + other.available_minutes,
            self.worked_minutes + other.worked_minutes,
            max(self.window_hours, other.window_hours),
            self.completed_tasks + other.completed_tasks,
            self.good_quantity + other.good_quantity,
            self.started_on_time + other.started_on_time,
            self.finished_on_time + other.finished_on_time,
        )


def flow(
    available_minutes: Decimal,
    window_hours: Decimal,
    completed: Sequence[CompletedTask],
    tolerance: timedelta,
) -> Flow:
    """Utilisation, throughput, adherence and on-time completion of the tasks done in a window."""
    return Flow(
        available_minutes=quantize(available_minutes),
        worked_minutes=quantize(sum((t.worked_minutes for t in completed), ZERO)),
        window_hours=quantize(window_hours),
        completed_tasks=len(completed),
        good_quantity=quantize(sum((t.good for t in completed), ZERO)),
        started_on_time=sum(
            1 for t in completed if abs(t.started_at - t.planned_start) <= tolerance
        ),
        finished_on_time=sum(1 for t in completed if t.completed_at <= t.planned_end),
    )


DEFAULT_WINDOW = timedelta(days=7)


def window_or_last_week(
    start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """The window asked for; a missing end is now, a missing start a week before the end."""
    until = end if end is not None else now
    since = start if start is not None else until - DEFAULT_WINDOW
    return since, until
