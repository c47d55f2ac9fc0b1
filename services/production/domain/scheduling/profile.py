"""A machine's load over time as a step function, for placing operations in earliest fit."""

from __future__ import annotations

from bisect import bisect_right

NEVER = -(10**15)


class CapacityProfile:
    """Load per time segment of one machine; blocked periods carry the full capacity.

    `times[k]` opens segment k, which lasts until `times[k + 1]` (the last one forever) and has
    `loads[k]` units in use. Lookups bisect, so a fit costs the segments it skips, not all of them.
    """

    def __init__(self, capacity: int, blocked: list[tuple[int, int]] | None = None) -> None:
        self.capacity = capacity
        self.times: list[int] = [NEVER]
        self.loads: list[int] = [0]
        for start, end in blocked or []:
            self.reserve(start, end, capacity)

    def _split(self, time: int) -> int:
        """Make `time` a breakpoint; return its segment index."""
        k = bisect_right(self.times, time) - 1
        if self.times[k] == time:
            return k
        self.times.insert(k + 1, time)
        self.loads.insert(k + 1, self.loads[k])
        return k + 1

    def reserve(self, start: int, end: int, units: int = 1) -> None:
        """Add `units` of load over [start, end)."""
        if end <= start:
            return
        first = self._split(start)
        last = self._split(end)
        for k in range(first, last):
            self.loads[k] += units

    def earliest_fit(self, earliest: int, duration: int) -> int:
        """Earliest t >= earliest with load below capacity throughout [t, t + duration)."""
        t = earliest
        k = bisect_right(self.times, t) - 1
        if duration == 0:
            return t  # an instant takes no capacity
        count = len(self.times)
        while True:
            j = k
            while True:
                if self.loads[j] >= self.capacity:
                    k = j + 1
                    t = self.times[k]
                    break
                if j + 1 == count or self.times[j + 1] >= t + duration:
                    return t
                j += 1
