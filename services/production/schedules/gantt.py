"""A schedule drawn as a Gantt chart in SVG: one row per work center, a lane per parallel unit.

Pure drawing, no I/O: bars labelled with the order number, SKU and quantity; hour ticks under
dates with the year (UTC); off-shift time shaded; downtime hatched with its reason; a now line;
each order's due date marked and its late bars outlined; a legend.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from shared.calendars import Interval

LABEL_WIDTH = 150
MIN_CHART_WIDTH = 960
MAX_CHART_WIDTH = 1800
PIXELS_PER_HOUR = 48
LANE_HEIGHT = 36
ROW_GAP = 6
TITLE_HEIGHT = 26
AXIS_HEIGHT = 64
LEGEND_HEIGHT = 46
HOUR_STEPS = (1, 2, 3, 4, 6, 12, 24)
MIN_TICK_PIXELS = 38
MIN_DATE_PIXELS = 110
CHAR_PIXELS = 6.4

LATE = "#b00020"
DUE = "#6a1b9a"
NOW = "#0d47a1"
OFF_SHIFT = "#cfd3d8"
DOWNTIME = "#b71c1c"


@dataclass(frozen=True)
class Bar:
    """An operation to draw, with what names it to people."""

    work_center: str
    order_id: str
    sequence: int
    start: datetime
    end: datetime
    order_number: str | None = None
    product_sku: str = ""
    quantity: Decimal | None = None
    due: datetime | None = None

    @property
    def order_label(self) -> str:
        """The order's number, or the start of its id when the number is not known."""
        return self.order_number or self.order_id[:8]

    @property
    def what(self) -> str:
        """SKU and quantity."""
        quantity = "" if self.quantity is None else f" × {self.quantity.normalize():f}"
        return f"{self.product_sku}{quantity}"

    @property
    def late_by(self) -> timedelta | None:
        """How long after its order's due date the operation ends, if it does."""
        if self.due is None or self.end <= self.due:
            return None
        return self.end - self.due


@dataclass(frozen=True)
class Stoppage:
    """Downtime of a work center, drawn over its row."""

    work_center: str
    start: datetime
    end: datetime
    reason: str
    kind: str = "breakdown"


def chart_span(origin: datetime, bars: Sequence[Bar]) -> Interval:
    """The time the chart shows: whole hours from the plan's start to its last end."""
    start = min([origin, *(bar.start for bar in bars)])
    end = max([start + timedelta(hours=1), *(bar.end for bar in bars)])
    start = start.replace(minute=0, second=0, microsecond=0)
    if end != end.replace(minute=0, second=0, microsecond=0):
        end = end.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return start, end


def _fill(order_id: str) -> tuple[str, str]:
    """A light fill and a dark edge per order: black text on it stays readable."""
    hue = int(hashlib.sha1(order_id.encode()).hexdigest()[:4], 16) % 360
    return f"hsl({hue},70%,84%)", f"hsl({hue},55%,32%)"


def _lanes(bars: Sequence[Bar]) -> list[tuple[int, Bar]]:
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


def _fit(text: str, pixels: float) -> str:
    """The text, cut with an ellipsis to fit a width; empty if not even three characters fit."""
    room = int(pixels // CHAR_PIXELS)
    if len(text) <= room:
        return text
    return text[: room - 1] + "…" if room >= 3 else ""


def _wrap(text: str, pixels: float, most_lines: int) -> list[str]:
    """The text in lines that fit a width, at most so many (the last cut with an ellipsis)."""
    room = int(pixels // CHAR_PIXELS)
    if room < 3 or most_lines < 1:
        return []
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most_lines:
        lines = lines[: most_lines - 1] + [_fit(" ".join(lines[most_lines - 1 :]) + " …", pixels)]
    return [_fit(line, pixels) for line in lines]


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days}d"] if days else []
    if hours:
        parts.append(f"{hours}h")
    if minutes or not parts:
        parts.append(f"{minutes}m")
    return " ".join(parts)


def _off_shift(working: Sequence[Interval], start: datetime, end: datetime) -> list[Interval]:
    """The gaps between working intervals within [start, end)."""
    gaps = []
    cursor = start
    for begin, finish in sorted(working):
        if begin > cursor:
            gaps.append((cursor, min(begin, end)))
        cursor = max(cursor, finish)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return [(a, b) for a, b in gaps if b > a]


class _Scale:
    """Instants to x positions."""

    def __init__(self, start: datetime, end: datetime) -> None:
        self.start, self.end = start, end
        hours = (end - start).total_seconds() / 3600
        self.width = min(max(hours * PIXELS_PER_HOUR, MIN_CHART_WIDTH), MAX_CHART_WIDTH)
        self.per_hour = self.width / hours

    def x(self, instant: datetime) -> float:
        hours = (instant - self.start).total_seconds() / 3600
        return LABEL_WIDTH + min(max(hours, 0.0), self.width / self.per_hour) * self.per_hour

    def ticks(self) -> tuple[list[datetime], list[datetime]]:
        """Hour ticks, and midnights to write the date at."""
        step = next((h for h in HOUR_STEPS if h * self.per_hour >= MIN_TICK_PIXELS), None)
        hours: list[datetime] = []
        if step is not None:
            tick = self.start
            while tick <= self.end:
                if tick.hour % step == 0:
                    hours.append(tick)
                tick += timedelta(hours=1)
        every = max(1, math.ceil(MIN_DATE_PIXELS / (24 * self.per_hour)))
        first = self.start.replace(hour=0)
        days = []
        day = first
        while day <= self.end:
            partial = day < self.start
            cramped = (
                partial
                and (day + timedelta(days=1) - self.start).total_seconds() / 3600 * (self.per_hour)
                < MIN_DATE_PIXELS
            )
            if (day - first).days % every == 0 and not cramped:
                days.append(max(day, self.start))
            day += timedelta(days=1)
        return hours, days


def _defs() -> str:
    return (
        "<defs>"
        '<pattern id="downtime-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="8" height="8" fill="#fdecec"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{DOWNTIME}" stroke-width="2" '
        'stroke-opacity="0.45"/>'
        "</pattern></defs>"
        "<style>"
        "text{fill:#111}.wc{font-size:13px;font-weight:bold}.op{font-size:11px;font-weight:bold}"
        ".what{font-size:10.5px}.late-text{font-size:10.5px;font-weight:bold;fill:" + LATE + "}"
        ".tick{font-size:10px;fill:#333}.date{font-size:11px;font-weight:bold;fill:#111}"
        ".title{font-size:14px;font-weight:bold}.legend{font-size:11px}"
        ".stop-text{font-size:10.5px;font-weight:bold;fill:" + DOWNTIME + ";"
        "paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}"
        ".now-text{font-size:10px;font-weight:bold;fill:" + NOW + "}"
        "</style>"
    )


def _bar(bar: Bar, lane: int, y: float, scale: _Scale) -> str:
    left, right = scale.x(bar.start), scale.x(bar.end)
    width = max(right - left, 1.5)
    top = y + lane * LANE_HEIGHT + 2
    fill, edge = _fill(bar.order_id)
    late = bar.late_by
    tip = (
        f"{bar.order_label} op {bar.sequence} on {bar.work_center}: {bar.what}, "
        f"{bar.start:%Y-%m-%d %H:%M} to {bar.end:%Y-%m-%d %H:%M} UTC"
        + (f", due {bar.due:%Y-%m-%d %H:%M} UTC" if bar.due else "")
        + (f", late by {_duration(late)}" if late else "")
    )
    stroke = f'stroke="{LATE}" stroke-width="2.5"' if late else f'stroke="{edge}" stroke-width="1"'
    parts = [
        f'<rect class="bar{" late" if late else ""}" x="{left:.1f}" y="{top}" '
        f'width="{width:.1f}" height="{LANE_HEIGHT - 4}" rx="3" fill="{fill}" {stroke} '
        f"data-order={quoteattr(bar.order_label)}><title>{escape(tip)}</title></rect>"
    ]
    room = width - 6
    first = next(
        (
            text
            for text in (f"{bar.order_label} op {bar.sequence}", bar.order_label)
            if len(text) * CHAR_PIXELS <= room
        ),
        _fit(bar.order_label, room),
    )
    if first:
        parts.append(f'<text x="{left + 4:.1f}" y="{top + 13}" class="op">{escape(first)}</text>')
        second = _fit(bar.what, room)
        if second:
            parts.append(
                f'<text x="{left + 4:.1f}" y="{top + 26}" class="what">{escape(second)}</text>'
            )
            if late:
                tag = _fit(f" late {_duration(late)}", room - CHAR_PIXELS * len(second))
                if tag:
                    parts.append(
                        f'<text x="{left + 4 + CHAR_PIXELS * len(second):.1f}" y="{top + 26}" '
                        f'class="late-text">{escape(tag)}</text>'
                    )
    return "".join(parts)


def _due_marker(bar: Bar, lane: int, y: float, scale: _Scale) -> str:
    if bar.due is None or not scale.start <= bar.due <= scale.end:
        return ""
    at = scale.x(bar.due)
    top = y + lane * LANE_HEIGHT
    return (
        f'<g class="due"><title>{escape(bar.order_label)} due {bar.due:%Y-%m-%d %H:%M} UTC</title>'
        f'<line x1="{at:.1f}" y1="{top}" x2="{at:.1f}" y2="{top + LANE_HEIGHT}" stroke="{DUE}" '
        f'stroke-width="2" stroke-dasharray="4 2"/>'
        f'<path d="M{at - 5:.1f},{top} L{at + 5:.1f},{top} L{at:.1f},{top + 7} Z" fill="{DUE}"/>'
        "</g>"
    )


def _stoppage(stop: Stoppage, y: float, height: float, scale: _Scale) -> str:
    if stop.end <= scale.start or stop.start >= scale.end:
        return ""
    left, right = scale.x(stop.start), scale.x(stop.end)
    tip = (
        f"Downtime ({stop.kind}) on {stop.work_center}: {stop.reason}, "
        f"{stop.start:%Y-%m-%d %H:%M} to {stop.end:%Y-%m-%d %H:%M} UTC"
    )
    lines = _wrap(f"{stop.kind}: {stop.reason}", right - left - 6, int((height - 4) // 12))
    text = (
        f'<text x="{left + 3:.1f}" y="{y + 12:.1f}" class="stop-text">'
        + "".join(
            f'<tspan x="{left + 3:.1f}" dy="{0 if n == 0 else 12}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        + "</text>"
        if lines
        else ""
    )
    return (
        f'<g class="downtime"><rect x="{left:.1f}" y="{y}" width="{max(right - left, 1.5):.1f}" '
        f'height="{height}" fill="url(#downtime-hatch)" stroke="{DOWNTIME}" stroke-width="1">'
        f"<title>{escape(tip)}</title></rect>{text}</g>"
    )


def _legend(y: float, width: float) -> str:
    x: float = LABEL_WIDTH
    items = [
        (
            '<rect width="22" height="14" rx="3" fill="hsl(200,70%,84%)" stroke="hsl(200,55%,32%)"/>',
            "operation: order number op sequence, SKU × quantity",
        ),
        (
            f'<rect width="22" height="14" rx="3" fill="hsl(200,70%,84%)" stroke="{LATE}" '
            'stroke-width="2.5"/>',
            "late: ends after its order's due date",
        ),
        (
            f'<line x1="11" y1="0" x2="11" y2="14" stroke="{DUE}" stroke-width="2" '
            f'stroke-dasharray="4 2"/><path d="M6,0 L16,0 L11,7 Z" fill="{DUE}"/>',
            "due date",
        ),
        (f'<rect width="22" height="14" fill="{OFF_SHIFT}"/>', "off shift"),
        (
            '<rect width="22" height="14" fill="url(#downtime-hatch)" stroke="' + DOWNTIME + '"/>',
            "downtime (reason)",
        ),
        (f'<line x1="11" y1="0" x2="11" y2="14" stroke="{NOW}" stroke-width="2"/>', "now"),
    ]
    parts = [
        f'<g class="legend" transform="translate(0,{y})">',
        '<text x="6" y="12" class="legend" font-weight="bold">Legend</text>',
    ]
    row_y = 0.0
    for symbol, text in items:
        span = 34 + CHAR_PIXELS * len(text) + 18
        if x + span > LABEL_WIDTH + width:
            x, row_y = LABEL_WIDTH, row_y + 20
        parts.append(
            f'<g transform="translate({x:.1f},{row_y})">{symbol}'
            f'<text x="28" y="12" class="legend">{escape(text)}</text></g>'
        )
        x += span
    parts.append("</g>")
    return "".join(parts)


def gantt_svg(
    title: str,
    origin: datetime,
    bars: Sequence[Bar],
    *,
    working: Mapping[str, Sequence[Interval]] | None = None,
    stoppages: Sequence[Stoppage] = (),
    now: datetime | None = None,
) -> str:
    """The SVG document of a schedule.

    `working` gives each work center's working intervals over `chart_span` (the rest of its row
    is shaded as off shift; a work center not in it is not shaded); `stoppages` its downtime.
    """
    start, end = chart_span(origin, bars)
    scale = _Scale(start, end)
    rows: dict[str, list[Bar]] = {}
    for bar in bars:
        rows.setdefault(bar.work_center, []).append(bar)
    last_of_order: dict[str, Bar] = {}
    for bar in bars:
        if bar.order_id not in last_of_order or bar.end > last_of_order[bar.order_id].end:
            last_of_order[bar.order_id] = bar
    back: list[str] = []
    front: list[str] = []
    y = float(TITLE_HEIGHT + AXIS_HEIGHT)
    for n, work_center in enumerate(sorted(rows)):
        placed = _lanes(rows[work_center])
        height = (max(lane for lane, _ in placed) + 1) * LANE_HEIGHT
        top = y - ROW_GAP / 2
        back.append(
            f'<rect x="0" y="{top}" width="{LABEL_WIDTH + scale.width}" height="{height + ROW_GAP}" '
            f'fill="{"#f7f7f8" if n % 2 == 0 else "#eeeff1"}"/>'
            f'<text x="8" y="{y + height / 2 + 5}" class="wc">{escape(work_center)}</text>'
        )
        if working is not None and work_center in working:
            for gap_start, gap_end in _off_shift(working[work_center], start, end):
                left = scale.x(gap_start)
                back.append(
                    f'<rect class="off-shift" x="{left:.1f}" y="{top}" '
                    f'width="{scale.x(gap_end) - left:.1f}" height="{height + ROW_GAP}" '
                    f'fill="{OFF_SHIFT}"/>'
                )
        for stop in stoppages:
            if stop.work_center == work_center:
                back.append(_stoppage(stop, top, height + ROW_GAP, scale))
        for lane, bar in placed:
            front.append(_bar(bar, lane, y, scale))
            if last_of_order[bar.order_id] is bar:
                front.append(_due_marker(bar, lane, y, scale))
        y += height + ROW_GAP
    chart_bottom = y
    axis = [f'<text x="8" y="18" class="title">{escape(title)}</text>']
    hours, days = scale.ticks()
    axis_top = TITLE_HEIGHT
    for tick in hours:
        at = scale.x(tick)
        axis.append(
            f'<line x1="{at:.1f}" y1="{axis_top + 40}" x2="{at:.1f}" y2="{chart_bottom}" '
            f'stroke="#9aa0a6" stroke-width="0.6"/>'
            f'<text x="{at + 2:.1f}" y="{axis_top + 52}" class="tick">{tick:%H}</text>'
        )
    for day in days:
        at = scale.x(day)
        axis.append(
            f'<line x1="{at:.1f}" y1="{axis_top + 4}" x2="{at:.1f}" y2="{chart_bottom}" '
            f'stroke="#5f6368" stroke-width="1.2"/>'
            f'<text x="{at + 3:.1f}" y="{axis_top + 18}" class="date">{day:%a %Y-%m-%d}</text>'
        )
    axis.append(
        f'<text x="8" y="{axis_top + 52}" class="tick">hour (UTC)</text>'
        f'<text x="8" y="{axis_top + 18}" class="tick">date</text>'
    )
    if now is not None and start <= now <= end:
        at = scale.x(now)
        axis.append(
            f'<g class="now"><line x1="{at:.1f}" y1="{axis_top + 24}" x2="{at:.1f}" '
            f'y2="{chart_bottom}" stroke="{NOW}" stroke-width="2"/>'
            f'<text x="{at + 3:.1f}" y="{axis_top + 34}" class="now-text">now {now:%H:%M}</text></g>'
        )
    width = LABEL_WIDTH + scale.width + 10
    full_height = chart_bottom + LEGEND_HEIGHT + 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{full_height:.0f}" '
        f'viewBox="0 0 {width:.0f} {full_height:.0f}" font-family="DejaVu Sans, Arial, sans-serif">'
        + _defs()
        + f'<rect width="{width:.0f}" height="{full_height:.0f}" fill="#fff"/>'
        + "".join(back)
        + "".join(axis)
        + "".join(front)
        + _legend(chart_bottom + 12, scale.width)
        + "</svg>"
    )
