"""The metrics an operator alerts on are served, and the example alert rules use only them."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from prometheus_client import REGISTRY

import shared.observability  # noqa: F401  (registers the metrics)
from shared.testing.stack import Stack, eventually

ALERTS = Path(__file__).resolve().parents[2] / "deploy" / "prometheus" / "alerts.yml"


def served_names() -> set[str]:
    names = set()
    for family in REGISTRY.collect():
        names.add(family.name)
        names.update(sample.name for sample in family.samples)
    # Histograms and counters are exposed with suffixes even before their first sample.
    for family in REGISTRY.collect():
        names.update(family.name + suffix for suffix in ("_total", "_count", "_bucket", "_sum"))
    return names


def test_every_metric_the_example_alert_rules_use_exists() -> None:
    rules = yaml.safe_load(ALERTS.read_text())
    expressions = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    used = {name for expr in expressions for name in re.findall(r"plantline_[a-z_]+", expr)}
    assert used, "the alert rules name no metric"
    missing = used - served_names()
    assert not missing, f"alert rules use metrics no service serves: {sorted(missing)}"


async def test_metrics_show_the_relay_lease_holder_and_the_consumer_lag(
    sqlite_stack: Stack,
) -> None:
    inventory, production = await sqlite_stack.start("inventory", "production")
    created = await inventory.post("/api/v1/items", json={"sku": "M-1", "name": "M", "kind": "raw"})
    assert created.status_code == 201, created.text

    async def exposed() -> str | None:
        text = (await production.get("/metrics")).text
        lagged = any(
            line.startswith("plantline_consumer_lag{") and 'service="production"' in line
            for line in text.splitlines()
        )
        held = re.search(
            r'plantline_relay_lease_held\{owner="[^"]+",service="inventory"\} 1\.0', text
        )
        return text if lagged and held else None

    text = await eventually(exposed, timeout=15)
    assert "plantline_outbox_oldest_pending_seconds" in text
    assert "plantline_events_retried_total" in text
