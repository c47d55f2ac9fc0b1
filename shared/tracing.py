"""OpenTelemetry traces: one provider per process, spans for HTTP, SQL, peer calls and events.

HTTP server spans come from the FastAPI instrumentation, peer calls from the httpx one and SQL
statements from the SQLAlchemy one. Events carry the W3C `traceparent` of the span that recorded
them in their envelope; a consumer opens its span as a child of it, so one trace follows a flow
from service to service across Kafka. aiokafka's own instrumentation is not used: the relay
publishes rows recorded by earlier transactions, so the parent of a publish span is the row's
traceparent, not whatever context the relay task runs in.

Spans go to OTLP/HTTP when an endpoint is set (`PLANTLINE_OTLP_ENDPOINT` or the standard
`OTEL_EXPORTER_OTLP_ENDPOINT`), otherwise to a JSON-lines file per service under the data
folder (`var/traces/<service>.jsonl`) that a person can read with `jq`.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import Span, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()


class JsonLinesSpanExporter(SpanExporter):
    """Writes each finished span as one JSON object a line (OTLP-like field names)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file: IO[str] = path.open("a", encoding="utf-8")
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = [json.dumps(span_record(span), default=str) for span in spans]
        with self._lock:
            self._file.write("".join(line + "\n" for line in lines))
            self._file.flush()
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        with self._lock:
            self._file.close()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


def span_record(span: ReadableSpan) -> dict[str, Any]:
    """A finished span as a flat record: ids in hex, times in nanoseconds since the epoch."""
    context = span.get_span_context()
    parent = span.parent
    return {
        "service": span.resource.attributes.get("service.name"),
        "name": span.name,
        "kind": span.kind.name if span.kind is not None else None,
        "trace_id": f"{context.trace_id:032x}" if context else None,
        "span_id": f"{context.span_id:016x}" if context else None,
        "parent_span_id": f"{parent.span_id:016x}" if parent else None,
        "start_time_unix_nano": span.start_time,
        "end_time_unix_nano": span.end_time,
        "status": span.status.status_code.name,
        "attributes": dict(span.attributes or {}),
    }


class Tracing:
    """One service's tracer provider, and the instrumentation that reports to it.

    A provider per service rather than per process, so services that share a process (the
    test stack) still tell their spans apart by `service.name`.
    """

    def __init__(self, provider: trace.TracerProvider, sdk: TracerProvider | None = None) -> None:
        self.provider = provider
        self.tracer = provider.get_tracer("plantline")
        self._sdk = sdk

    @classmethod
    def disabled(cls) -> Tracing:
        """Records nothing: every span is a no-op."""
        return cls(trace.NoOpTracerProvider())

    @classmethod
    def for_service(
        cls, service: str, trace_dir: Path, otlp_endpoint: str | None = None
    ) -> Tracing:
        """Export to OTLP/HTTP when an endpoint is set, else to `<trace_dir>/<service>.jsonl`."""
        provider = TracerProvider(
            resource=Resource.create({"service.name": service, "service.namespace": "plantline"})
        )
        endpoint = otlp_endpoint or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        exporter: SpanExporter
        if endpoint:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            exporter = OTLPSpanExporter(endpoint=endpoint.rstrip("/") + "/v1/traces")
        else:
            exporter = JsonLinesSpanExporter(trace_dir / f"{service}.jsonl")
        provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=500))
        return cls(provider, provider)

    @property
    def enabled(self) -> bool:
        """Whether spans are recorded."""
        return self._sdk is not None

    def instrument_app(self, app: Any) -> None:
        """Server spans for every request of a FastAPI app (health and metrics left out)."""
        if not self.enabled:
            return
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

        FastAPIInstrumentor.instrument_app(
            app, tracer_provider=self.provider, excluded_urls="health/.*,metrics"
        )

    def instrument_engine(self, engine: Any) -> None:
        """Client spans for every SQL statement of an (async) SQLAlchemy engine.

        The package's engine tracer is attached to this engine alone: its `instrument()` also
        patches `create_engine` process-wide, once, which would give every later engine (other
        services sharing a process, as in the tests) the first service's tracer. The package
        declares SQLAlchemy < 2.1; the engine events it hooks are unchanged in 2.1
        (tests/test_tracing_across_services.py checks that statements become spans).
        """
        if not self.enabled:
            return
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
        from opentelemetry.metrics import NoOpMeterProvider

        connections = (
            NoOpMeterProvider()
            .get_meter("plantline")
            .create_up_down_counter("db.client.connections.usage")
        )
        tracer = self.provider.get_tracer("opentelemetry.instrumentation.sqlalchemy")
        EngineTracer(tracer, getattr(engine, "sync_engine", engine), connections)

    def instrument_client(self, client: Any) -> None:
        """Client spans, and the traceparent header, on every call of an httpx client."""
        if not self.enabled:
            return
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

        HTTPXClientInstrumentor.instrument_client(client, tracer_provider=self.provider)

    @contextmanager
    def span_from(
        self, name: str, traceparent: str | None, kind: SpanKind, attributes: dict[str, Any]
    ) -> Iterator[Span]:
        """A current span whose parent is the given traceparent (a new trace when none)."""
        parent = _PROPAGATOR.extract({"traceparent": traceparent}) if traceparent else None
        token = otel_context.attach(parent if parent is not None else otel_context.Context())
        try:
            with self.tracer.start_as_current_span(name, kind=kind, attributes=attributes) as span:
                yield span
        finally:
            otel_context.detach(token)

    def shutdown(self) -> None:
        """Flush what is buffered and stop exporting."""
        if self._sdk is not None:
            self._sdk.shutdown()


def traceparent_of(span: Span) -> str | None:
    """The W3C traceparent of a span, or None if it is not recording a valid context."""
    context = span.get_span_context()
    if not context.is_valid:
        return None
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{int(context.trace_flags):02x}"


def current_traceparent() -> str | None:
    """The traceparent of the span now current in this task, if any."""
    return traceparent_of(trace.get_current_span())
