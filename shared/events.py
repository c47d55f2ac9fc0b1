"""The CloudEvents 1.0 envelope, domain event base class and the registry of published types."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

SPEC_VERSION = "1.0"
DATA_CONTENT_TYPE = "application/json"


class DomainEvent(BaseModel):
    """Data of an integration event: a small immutable record named in the past tense."""

    model_config = ConfigDict(frozen=True)

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1


DataT = TypeVar("DataT")


class Envelope(BaseModel, Generic[DataT]):
    """A CloudEvents 1.0 structured-mode envelope with tracing and per-aggregate sequence."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    specversion: str = SPEC_VERSION
    id: str = Field(description="Unique event id (UUID); consumers deduplicate on it.")
    source: str = Field(description="`/plantline/<service>`.")
    type: str = Field(description="`<service>.<aggregate>.<happened>`.")
    subject: str = Field(description="Aggregate id; also the Kafka message key.")
    time: datetime
    datacontenttype: str = DATA_CONTENT_TYPE
    dataschema: str | None = Field(None, description="URI of the data's JSON Schema.")
    dataversion: int = Field(1, description="Version of the data schema.")
    sequence: int = Field(
        description="Per-aggregate sequence, 1, 2, 3...: gaps and stale updates show."
    )
    traceparent: str | None = Field(None, description="W3C trace context of the cause.")
    data: DataT

    def to_json(self) -> bytes:
        """Serialise to compact JSON bytes."""
        return self.model_dump_json(exclude_none=True).encode()

    @classmethod
    def parse(cls, raw: bytes | str) -> Envelope[dict[str, Any]]:
        """Parse raw JSON into an envelope whose data is a plain dict."""
        return PlainEnvelope.model_validate_json(raw)


PlainEnvelope = Envelope[dict[str, Any]]
"""The envelope with its data as a plain dict. Held here once: pydantic only keeps a
parametrised model while it is referenced, and building it again costs milliseconds."""


def schema_uri(event_type: str, version: int) -> str:
    """Where the JSON Schema of an event type is served (relative to a service)."""
    return f"/events/schemas/{event_type}/v{version}"


def make_envelope(
    *,
    service: str,
    event: DomainEvent,
    subject: str,
    event_id: str,
    sequence: int,
    traceparent: str | None,
    time: datetime | None = None,
) -> Envelope[dict[str, Any]]:
    """Wrap event data in an envelope."""
    return PlainEnvelope(
        id=event_id,
        source=f"/plantline/{service}",
        type=event.event_type,
        subject=subject,
        time=time or datetime.now(UTC),
        dataschema=schema_uri(event.event_type, event.schema_version),
        dataversion=event.schema_version,
        sequence=sequence,
        traceparent=traceparent,
        data=json.loads(event.model_dump_json()),
    )


class EventCatalog:
    """The event types one service publishes, for schemas and the AsyncAPI document."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.types: dict[str, type[DomainEvent]] = {}

    def register(self, model: type[DomainEvent]) -> type[DomainEvent]:
        """Add an event model (usable as a class decorator)."""
        prefix = f"{self.service}."
        if not model.event_type.startswith(prefix):
            raise ValueError(f"{model.event_type} is not a {self.service} event type")
        self.types[model.event_type] = model
        return model

    def json_schema(self, event_type: str) -> dict[str, Any]:
        """JSON Schema of one event type's data."""
        model = self.types[event_type]
        schema = model.model_json_schema(mode="serialization")
        schema["$id"] = schema_uri(event_type, model.schema_version)
        return schema
