"""Putting another service's events on its topic, for tests of the consuming side."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

from shared.broker import ensure_topics
from shared.events import DomainEvent, make_envelope
from shared.testing.stack import ServiceClient


async def produce(
    client: ServiceClient, service: str, events: list[tuple[DomainEvent, str, str, int]]
) -> None:
    """Publish (event, subject, event id, sequence) as `service` would, with a real producer."""
    settings = client.settings
    await ensure_topics(settings, [settings.events_topic(service)])
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    await producer.start()
    try:
        for event, subject, event_id, sequence in events:
            envelope = make_envelope(
                service=service,
                event=event,
                subject=subject,
                event_id=event_id,
                sequence=sequence,
                traceparent=None,
            )
            await producer.send_and_wait(
                settings.events_topic(service), envelope.to_json(), key=subject.encode()
            )
    finally:
        await producer.stop()
