"""The week in figures: orders, on-time rate, OEE, stock value, cost variance, the Gantt charts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.demo.api import Plant
from bench.demo.week import Week

KINDS = ("material", "labour", "overhead", "total")


async def summarise(
    plant: Plant, week: Week, out: Path, say: Callable[[str], None]
) -> dict[str, Any]:
    """Print the summary and write a Gantt chart per schedule in force; returns the figures."""
    deliveries = await plant.get("logistics", "/api/v1/performance/deliveries")
    oee = {
        code: await plant.get("operations", "/api/v1/kpis/oee", work_center=code, **window)
        for code, window in _planned_windows(week).items()
    }
    value = await plant.get("inventory", "/api/v1/reports/stock-value")
    variance = dict.fromkeys(KINDS, Decimal(0))
    for order in week.production_orders:
        costs = await plant.get("production", f"/api/v1/orders/{order['id']}/costs")
        for kind in KINDS:
            variance[kind] += Decimal(str(costs["variance"][kind]))
    charts = []
    for schedule in _in_force(week):
        chart = out / f"gantt-v{schedule['version']}.svg"
        svg = await plant.text("production", f"/api/v1/schedules/{schedule['id']}/gantt.svg")
        await asyncio.to_thread(_write, chart, svg)
        charts.append(str(chart))
    figures = {
        "delivery_orders": len(week.delivery_orders),
        "production_orders": len(week.production_orders),
        "purchase_orders": len(week.purchase_orders),
        "on_time_in_full": deliveries["otif_rate"],
        "oee": {code: _percentages(kpi) for code, kpi in oee.items()},
        "stock_value": value["total_value"],
        "cost_variance": {kind: str(amount) for kind, amount in variance.items()},
        "gantt": charts,
        "shipments": len(week.shipments),
        "shop_floor": {
            "partial_reports": week.partial_reports,
            "corrections": week.corrections,
            "refused_starts": week.refused_starts,
        },
    }
    say("== the week in figures")
    say(
        f"orders: {figures['delivery_orders']} customer, {figures['production_orders']} "
        f"production, {figures['purchase_orders']} purchase"
    )
    say(
        f"customer deliveries on time in full: {deliveries['on_time_in_full']} of "
        f"{deliveries['deliveries']} ({_percent(deliveries['otif_rate'])}), in "
        f"{len(week.shipments)} shipments"
    )
    say(
        f"shop floor: {week.partial_reports} partial reports, {week.corrections} correction(s), "
        f"{week.refused_starts} start(s) refused as too early"
    )
    for code, kpi in figures["oee"].items():
        say(f"OEE {code} over its planned window: {kpi}")
    say(f"stock value left: {figures['stock_value']}")
    say(
        "cost variance (actual - standard): "
        + ", ".join(f"{kind} {Decimal(amount):.2f}" for kind, amount in variance.items())
        + " (operators ran each task in seconds, so labour is far under standard)"
    )
    for chart in charts:
        say(f"Gantt chart: {chart}")
    return figures


def _in_force(week: Week) -> list[dict[str, Any]]:
    """Each level's schedule, the re-planned version instead of the one it replaced."""
    replaced = week.replanned["replaces"] if week.replanned else None
    kept = [s for s in week.schedules if s["id"] != replaced]
    return ([week.replanned] if week.replanned else []) + kept


def _planned_windows(week: Week) -> dict[str, dict[str, str]]:
    """Per work center, from the start of the demo (its tasks ran then, in seconds) to its last
    planned end."""
    windows: dict[str, dict[str, str]] = {}
    for schedule in _in_force(week):
        for op in schedule["operations"]:
            window = windows.setdefault(
                op["work_center"], {"start": week.started, "end": op["end"]}
            )
            window["end"] = max(window["end"], op["end"])
    return dict(sorted(windows.items()))


def _percent(value: Any) -> str:
    return "n/a" if value is None else f"{float(value) * 100:.1f}%"


def _percentages(kpi: dict[str, Any]) -> str:
    """OEE and its three factors, as percentages."""
    return ", ".join(
        f"{name} {_percent(kpi.get(name))}"
        for name in ("oee", "availability", "performance", "quality")
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
