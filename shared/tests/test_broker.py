"""Kafka plumbing: stopping clients whatever state the broker is in."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from shared.broker import ensure_topics, make_consumer, stop_quietly
from shared.embedded_broker import EmbeddedBroker
from shared.settings import Settings


async def test_stopping_a_consumer_whose_broker_is_gone_returns_to_the_caller(
    private_broker: EmbeddedBroker, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for("production", private_broker.bootstrap)
    await ensure_topics(settings)
    consumer = make_consumer(settings, [settings.events_topic("inventory")])
    await consumer.start()
    while not consumer.assignment():
        await consumer.getmany(timeout_ms=200)
    for partition in consumer.assignment():
        await consumer.position(partition)
    private_broker.stop()
    # Fetches now fail and wait to be retried: the consumer is stopped in the middle of that.
    await consumer.getmany(timeout_ms=500)
    stopping = asyncio.create_task(stop_quietly(consumer))
    await asyncio.wait({stopping}, timeout=15)
    # It ends as a plain return, not as a cancellation the caller would take for its own.
    assert stopping.done() and not stopping.cancelled() and stopping.exception() is None
