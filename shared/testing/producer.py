"""Putting another service's events on its topic, for tests of the consuming side."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from shared.broker import ensure_topics
from shared.events import DomainEvent, make_envelope
from shared.testing.stack import ServiceClient

ATTEMPTS = 5


async def _topic_ready(client: ServiceClient, service: str) -> None:
    # On a loaded machine the embedded broker may answer "node not ready" for a moment.
    settings = client.settings
    for attempt in range(ATTEMPTS):
        try:
            await ensure_topics(settings, [settings.events_topic(service)])
            return
        except KafkaError:
            if attempt == ATTEMPTS - 1:
                raise
            await asyncio.sleep(0.5 * (attempt + 1))


async def produce(
    client: ServiceClient, service: str, events: list[tuple[DomainEvent, str, str, int]]
) -> None:
    """Publish (event, subject, event id, sequence) as `service` would, with a real producer."""
    settings = client.settings
    await _topic_ready(client, service)
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
