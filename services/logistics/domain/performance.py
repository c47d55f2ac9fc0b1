"""On-time in-full arithmetic, without database or broker."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Otif:
    """How many deliveries came on time, in full, and both."""

    deliveries: int
    on_time: int
    in_full: int
    on_time_in_full: int

    @property
    def rate(self) -> Decimal | None:
        """Share of deliveries both on time and in full, 0..1 to 4 places; None without deliveries."""
        if not self.deliveries:
            return None
        return (Decimal(self.on_time_in_full) / self.deliveries).quantize(Decimal("0.0001"))


def otif(outcomes: Iterable[tuple[bool, bool]]) -> Otif:
    """Summarize (on_time, in_full) outcomes."""
    rows = list(outcomes)
    return Otif(
        deliveries=len(rows),
        on_time=sum(1 for t, _ in rows if t),
        in_full=sum(1 for _, f in rows if f),
        on_time_in_full=sum(1 for t, f in rows if t and f),
    )


def combine(parts: Iterable[Otif]) -> Otif:
    """The figures of several parties together."""
    rows = list(parts)
    return Otif(
        deliveries=sum(p.deliveries for p in rows),
        on_time=sum(p.on_time for p in rows),
        in_full=sum(p.in_full for p in rows),
        on_time_in_full=sum(p.on_time_in_full for p in rows),
    )
