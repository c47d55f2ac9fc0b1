"""A schedule drawn as a Gantt chart in SVG: one row per work center, a lane per parallel unit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from xml.sax.saxutils import escape

LABEL_WIDTH = 140
CHART_WIDTH = 1100
LANE_HEIGHT = 22
ROW_GAP = 8
AXIS_HEIGHT = 30


@dataclass(frozen=True)
class Bar:
    """An operation to draw."""

    work_center: str
    order_id: str
    sequence: int
    start: datetime
    end: datetime


def _colour(order_id: str) -> str:
    hue = int(hashlib.sha1(order_id.encode()).hexdigest()[:4], 16) % 360
    return f"hsl({hue},60%,55%)"


def _lanes(bars: list[Bar]) -> list[tuple[int, Bar]]:
    """Each bar with the first lane free at its start (greedy interval colouring)."""
    lane_ends: list[datetime] = []
    placed = []
    for bar in sorted(bars, key=lambda b: (b.start, b.end)):
        for lane, free_at in enumerate(lane_ends):
            if free_at <= bar.start:
                lane_ends[lane] = bar.end
                break
        else:
            lane = len(lane_ends)
            lane_ends.append(bar.end)
        placed.append((lane, bar))
    return placed


def _ticks(start: datetime, end: datetime) -> list[datetime]:
    span_days = (end - start).total_seconds() / 86_400
    step = timedelta(days=1 if span_days <= 31 else 7 if span_days <= 220 else 30)
    first = start.replace(hour=0, minute=0, second=0, microsecond=0)
    if first < start:
        first += timedelta(days=1)
    ticks: list[datetime] = []
    tick = first
    while tick <= end and len(ticks) < 200:
        ticks.append(tick)
        tick += step
    return ticks


def gantt_svg(title: str, origin: datetime, bars: list[Bar]) -> str:
    """The SVG document of a schedule."""
    end = max((bar.end for bar in bars), default=origin + timedelta(hours=1))
    span = max((end - origin).total_seconds(), 60.0)

    def x(instant: datetime) -> float:
        return LABEL_WIDTH + CHART_WIDTH * (instant - origin).total_seconds() / span

    rows: dict[str, list[Bar]] = {}
    for bar in bars:
        rows.setdefault(bar.work_center, []).append(bar)
    parts: list[str] = []
    y = AXIS_HEIGHT
    for work_center in sorted(rows):
        placed = _lanes(rows[work_center])
        lanes = max(lane for lane, _ in placed) + 1
        height = lanes * LANE_HEIGHT
        parts.append(
            f'<rect x="0" y="{y - ROW_GAP / 2}" width="{LABEL_WIDTH + CHART_WIDTH}" '
            f'height="{height + ROW_GAP}" fill="#f6f6f6"/>'
            f'<text x="6" y="{y + height / 2 + 4}" class="wc">{escape(work_center)}</text>'
        )
        for lane, bar in placed:
            left, right = x(bar.start), x(bar.end)
            tip = (
                f"{bar.order_id} op {bar.sequence} on {bar.work_center}: "
                f"{bar.start:%Y-%m-%d %H:%M} to {bar.end:%Y-%m-%d %H:%M} UTC"
            )
            parts.append(
                f'<rect x="{left:.1f}" y="{y + lane * LANE_HEIGHT + 2}" '
                f'width="{max(right - left, 1):.1f}" height="{LANE_HEIGHT - 4}" rx="2" '
                f'fill="{_colour(bar.order_id)}"><title>{escape(tip)}</title></rect>'
            )
            label = f"{bar.order_id[:8]}/{bar.sequence}"
            if right - left > 7 * len(label):
                parts.append(
                    f'<text x="{left + 3:.1f}" y="{y + lane * LANE_HEIGHT + 15}" '
                    f'class="op">{escape(label)}</text>'
                )
        y += height + ROW_GAP
    axis = [
        f'<text x="6" y="18" class="title">{escape(title)}</text>',
    ]
    for tick in _ticks(origin, end):
        axis.append(
            f'<line x1="{x(tick):.1f}" y1="{AXIS_HEIGHT - 6}" x2="{x(tick):.1f}" y2="{y}" '
            f'stroke="#bbb" stroke-width="0.5"/>'
            f'<text x="{x(tick) + 2:.1f}" y="{AXIS_HEIGHT - 8}" class="tick">{tick:%m-%d}</text>'
        )
    width = LABEL_WIDTH + CHART_WIDTH + 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y + 10}" '
        f'viewBox="0 0 {width} {y + 10}" font-family="sans-serif">'
        "<style>.wc{font-size:12px;font-weight:bold}.op{font-size:10px;fill:#fff}"
        ".tick{font-size:10px;fill:#555}.title{font-size:13px}</style>"
        + "".join(parts)
        + "".join(axis)
        + "</svg>"
    )
