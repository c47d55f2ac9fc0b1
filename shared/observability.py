"""Structured JSON logs with request and trace ids, W3C trace context, Prometheus metrics."""

from __future__ import annotations

import logging
import re
import secrets
import sys
from contextvars import ContextVar
from typing import Any

from opentelemetry import trace
from prometheus_client import Counter, Gauge, Histogram
from pythonjsonlogger.json import JsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
traceparent_var: ContextVar[str | None] = ContextVar("traceparent", default=None)

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")

HTTP_REQUESTS = Histogram(
    "plantline_http_request_seconds",
    "HTTP request duration by route and status.",
    ["service", "method", "route", "status"],
)
EVENTS_PUBLISHED = Counter(
    "plantline_events_published_total", "Events the outbox relay published.", ["service", "type"]
)
EVENTS_APPLIED = Counter(
    "plantline_events_applied_total", "Events a consumer applied.", ["service", "type"]
)
EVENTS_DUPLICATE = Counter(
    "plantline_events_duplicate_total", "Redelivered events skipped by the inbox.", ["service"]
)
EVENTS_DEAD_LETTERED = Counter(
    "plantline_events_dead_lettered_total", "Events sent to a dead-letter topic.", ["service"]
)
OUTBOX_PENDING = Gauge("plantline_outbox_pending", "Outbox rows not yet published.", ["service"])
OUTBOX_OLDEST_SECONDS = Gauge(
    "plantline_outbox_oldest_pending_seconds",
    "Age of the oldest outbox row not yet published, as of the relay's last read.",
    ["service"],
)
RELAY_LEASE_HELD = Gauge(
    "plantline_relay_lease_held",
    "1 while this process holds the outbox relay's lease (one replica publishes), else 0.",
    ["service", "owner"],
)
CONSUMER_LAG = Gauge(
    "plantline_consumer_lag",
    "Records on a partition not yet applied by this consumer (high watermark - position).",
    ["service", "topic", "partition"],
)
EVENTS_RETRIED = Counter(
    "plantline_events_retried_total",
    "Attempts to apply an event again after a failure.",
    ["service"],
)


def record_consumer_lag(service: str, consumer: Any) -> None:
    """Set the lag gauge of every partition assigned to an aiokafka consumer."""
    for partition in consumer.assignment():
        highwater = consumer.highwater(partition)
        if highwater is None:
            continue
        # aiokafka's public position() awaits a fetch; the partition's state already has it.
        try:
            state = consumer._subscription.subscription.assignment.state_value(partition)
        except AttributeError:
            continue
        position = state.position if state is not None and state.has_valid_position else None
        if position is None:
            continue
        CONSUMER_LAG.labels(service, partition.topic, str(partition.partition)).set(
            max(0, highwater - position)
        )


def new_traceparent(parent: str | None = None) -> str:
    """A traceparent for a new span: same trace id as the parent if valid, else a new trace."""
    match = _TRACEPARENT.match(parent or "")
    trace_id = match.group(1) if match else secrets.token_hex(16)
    return f"00-{trace_id}-{secrets.token_hex(8)}-01"


def trace_id_of(traceparent: str | None) -> str | None:
    """The trace id inside a traceparent."""
    match = _TRACEPARENT.match(traceparent or "")
    return match.group(1) if match else None


class ContextJsonFormatter(JsonFormatter):
    """One JSON object a line (python-json-logger): every `extra=` field, plus the service,
    the request id and the trace and span ids of the current context."""

    def __init__(self, service: str) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger", "exc_info": "error"},
            static_fields={"service": service},
            timestamp="time",
        )

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        request_id = request_id_var.get()
        if request_id:
            log_data["request_id"] = request_id
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            log_data["trace_id"] = f"{context.trace_id:032x}"
            log_data["span_id"] = f"{context.span_id:016x}"
        else:
            match = _TRACEPARENT.match(traceparent_var.get() or "")
            if match:
                log_data["trace_id"], log_data["span_id"] = match.group(1), match.group(2)


def configure_logging(service: str, level: str = "INFO", json_lines: bool = True) -> None:
    """Send logs to stderr, as JSON lines by default."""
    handler = logging.StreamHandler(sys.stderr)
    if json_lines:
        handler.setFormatter(ContextJsonFormatter(service))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "kafka", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
