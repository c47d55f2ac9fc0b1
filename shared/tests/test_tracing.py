"""Trace context follows a request into its events, and logs carry request and trace ids."""

from __future__ import annotations

import json
import logging
from decimal import Decimal

from sqlalchemy import select

from shared.events import Envelope
from shared.observability import (
    ContextJsonFormatter,
    request_id_var,
    trace_id_of,
    traceparent_var,
)
from shared.testing.stack import Stack

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


async def test_an_event_carries_the_trace_of_the_request_that_caused_it(
    sqlite_stack: Stack,
) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    response = await inventory.post(
        "/api/v1/items",
        json={"sku": "T-1", "name": "Traced", "kind": "raw"},
        headers={"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01", "X-Request-Id": "req-42"},
    )
    assert response.status_code == 201
    assert trace_id_of(response.headers["traceparent"]) == TRACE_ID
    assert response.headers["x-request-id"] == "req-42"
    outbox = inventory.app.state.tables.outbox
    async with inventory.app.state.database.transaction() as session:
        row = (await session.execute(select(outbox.c.envelope))).scalar_one()
    assert trace_id_of(Envelope.parse(row).traceparent) == TRACE_ID


def test_log_lines_are_json_with_the_request_and_trace_ids_and_every_extra_field() -> None:
    formatter = ContextJsonFormatter("inventory")
    record = logging.LogRecord(
        "plantline.test", logging.INFO, __file__, 1, "hello %s", ("world",), None
    )
    record.__dict__.update({"sku": "FRAME", "quantity": Decimal("2.5")})
    rid = request_id_var.set("req-7")
    tp = traceparent_var.set(f"00-{TRACE_ID}-00f067aa0ba902b7-01")
    try:
        line = json.loads(formatter.format(record))
    finally:
        request_id_var.reset(rid)
        traceparent_var.reset(tp)
    assert line["message"] == "hello world"
    assert line["service"] == "inventory"
    assert line["request_id"] == "req-7"
    assert line["trace_id"] == TRACE_ID
    assert line["span_id"] == "00f067aa0ba902b7"
    assert line["level"] == "INFO"
    assert line["logger"] == "plantline.test"
    assert "time" in line
    assert (line["sku"], line["quantity"]) == ("FRAME", "2.5")
