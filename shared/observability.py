"""Structured JSON logs with request and trace ids, W3C trace context, Prometheus metrics."""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

from prometheus_client import Counter, Gauge, Histogram

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


def new_traceparent(parent: str | None = None) -> str:
    """A traceparent for a new span: same trace id as the parent if valid, else a new trace."""
    match = _TRACEPARENT.match(parent or "")
    trace_id = match.group(1) if match else secrets.token_hex(16)
    return f"00-{trace_id}-{secrets.token_hex(8)}-01"


def trace_id_of(traceparent: str | None) -> str | None:
    """The trace id inside a traceparent."""
    match = _TRACEPARENT.match(traceparent or "")
    return match.group(1) if match else None


class JsonFormatter(logging.Formatter):
    """One JSON object a line, with the request and trace ids of the current context."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        trace_id = trace_id_of(traceparent_var.get())
        if request_id:
            entry["request_id"] = request_id
        if trace_id:
            entry["trace_id"] = trace_id
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure_logging(service: str, level: str = "INFO", json_lines: bool = True) -> None:
    """Send logs to stderr, as JSON lines by default."""
    handler = logging.StreamHandler(sys.stderr)
    if json_lines:
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "kafka", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
