"""The AsyncAPI 3 document of a service: the events it publishes and those it consumes."""

from __future__ import annotations

from typing import Any

from shared.broker import DLQ_SUFFIX
from shared.consumer import EventHandlers
from shared.events import EventCatalog
from shared.settings import Settings


def asyncapi_document(
    title: str, version: str, settings: Settings, catalog: EventCatalog, handlers: EventHandlers
) -> dict[str, Any]:
    """Build the document; schemas come from the event models."""
    topic = settings.events_topic()
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for event_type in sorted(catalog.types):
        name = event_type.replace(".", "_")
        schemas[name] = catalog.json_schema(event_type)
        messages[name] = {
            "name": event_type,
            "title": event_type,
            "contentType": "application/cloudevents+json",
            "summary": (catalog.types[event_type].__doc__ or "").strip(),
            "payload": {
                "type": "object",
                "description": "CloudEvents 1.0 structured-mode envelope",
                "required": [
                    "specversion",
                    "id",
                    "source",
                    "type",
                    "subject",
                    "time",
                    "sequence",
                    "data",
                ],
                "properties": {
                    "specversion": {"const": "1.0"},
                    "id": {"type": "string", "format": "uuid"},
                    "source": {"const": f"/plantline/{settings.service}"},
                    "type": {"const": event_type},
                    "subject": {"type": "string"},
                    "time": {"type": "string", "format": "date-time"},
                    "datacontenttype": {"const": "application/json"},
                    "dataschema": {"type": "string"},
                    "dataversion": {"type": "integer"},
                    "sequence": {"type": "integer", "minimum": 1},
                    "traceparent": {"type": "string"},
                    "data": {"$ref": f"#/components/schemas/{name}"},
                },
            },
        }
    channels: dict[str, Any] = {
        "events": {
            "address": topic,
            "description": f"Events of the {settings.service} service, keyed by aggregate id.",
            "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in messages},
        },
        "deadLetters": {
            "address": topic + DLQ_SUFFIX,
            "description": "Events a consumer could not apply after its retries, with dlq-* headers.",
        },
    }
    operations: dict[str, Any] = {
        "publishEvents": {"action": "send", "channel": {"$ref": "#/channels/events"}},
    }
    consumed = sorted(handlers.handlers)
    if consumed:
        operations["consumeEvents"] = {
            "action": "receive",
            "description": "Event types this service applies: " + ", ".join(consumed),
            "channel": {"$ref": "#/channels/consumed"},
        }
        channels["consumed"] = {
            "address": None,
            "description": "Topics of the other services: " + ", ".join(handlers.topics(settings)),
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"{title} events", "version": version},
        "defaultContentType": "application/cloudevents+json",
        "servers": {"kafka": {"host": settings.kafka_bootstrap, "protocol": "kafka"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
