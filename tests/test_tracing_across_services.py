"""One trace follows a production order's release from service to service, over HTTP and
Kafka, in the spans each service writes (OpenTelemetry, JSON lines under the data folder)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shared.embedded_broker import EmbeddedBroker
from shared.testing.databases import ThrowawayDatabases
from shared.testing.stack import Stack, eventually
from tests.test_production_order_saga import materials, plant

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def spans_in(folder: Path) -> list[dict[str, Any]]:
    """Every span the services of a stack wrote to their JSON-lines files."""
    spans = []
    for path in folder.glob("*.jsonl"):
        spans += [json.loads(line) for line in path.read_text().splitlines() if line]
    return spans


async def test_one_trace_follows_a_release_across_three_services_over_http_and_kafka(
    broker: EmbeddedBroker, tmp_path: Path
) -> None:
    trace_dir = tmp_path / "traces"
    stack = Stack(
        broker.bootstrap,
        ThrowawayDatabases("sqlite", tmp_path),
        tracing=True,
        trace_dir=trace_dir,
    )
    try:
        inventory, production, operations = await stack.start(
            "inventory", "production", "operations"
        )
        await plant(inventory, production)
        created = await production.post(
            "/api/v1/orders",
            json={"product_sku": "BIKE", "quantity": "2", "due_date": "2026-12-20"},
        )
        assert created.status_code == 201, created.text
        order_id = created.json()["id"]
        released = await production.post(
            f"/api/v1/orders/{order_id}/release",
            headers={"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"},
        )
        assert released.status_code == 200, released.text
        await materials(production, order_id, "reserved")

        async def consumed_everywhere() -> dict[str, list[dict[str, Any]]] | None:
            by_service: dict[str, list[dict[str, Any]]] = {}
            for span in spans_in(trace_dir):
                if span["trace_id"] == TRACE_ID:
                    by_service.setdefault(span["service"], []).append(span)
            released_in = {
                service
                for service, spans in by_service.items()
                if any(s["name"] == "consume production.order.released" for s in spans)
            }
            confirmed_in = {
                service
                for service, spans in by_service.items()
                if any(s["name"] == "consume inventory.reservation.confirmed" for s in spans)
            }
            done = {"inventory", "operations"} <= released_in and "production" in confirmed_in
            return by_service if done else None

        by_service = await eventually(consumed_everywhere, timeout=20)
    finally:
        await stack.close()
    every_span = {s["span_id"]: s for spans in by_service.values() for s in spans}
    (server,) = [
        s
        for s in by_service["production"]
        if s["kind"] == "SERVER" and s["parent_span_id"] == "00f067aa0ba902b7"
    ]
    for service in ("inventory", "operations"):
        (consumed,) = [
            s for s in by_service[service] if s["name"] == "consume production.order.released"
        ]
        # The consumer's span hangs under the producing service's span of the request.
        assert every_span[consumed["parent_span_id"]]["service"] == "production"
    # Inventory's answer comes back to production in the same trace, under inventory's span.
    (answer,) = [
        s
        for s in by_service["production"]
        if s["name"] == "consume inventory.reservation.confirmed"
    ]
    assert every_span[answer["parent_span_id"]]["service"] == "inventory"
    # SQL statements are spans too.
    assert any(
        s["kind"] == "CLIENT" and "db.system" in s["attributes"] for s in by_service["inventory"]
    )
