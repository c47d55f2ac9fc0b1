"""Kafka plumbing: topic creation, producers and consumers configured the project's way."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from shared.settings import SERVICES, Settings

log = logging.getLogger("plantline.broker")

DLQ_SUFFIX = ".dlq"


def all_topics(settings: Settings) -> list[str]:
    """Every service's events topic and its dead-letter topic."""
    topics = []
    for service in SERVICES:
        topic = settings.events_topic(service)
        topics += [topic, topic + DLQ_SUFFIX]
    return topics


async def ensure_topics(settings: Settings, topics: Iterable[str] | None = None) -> None:
    """Create the topics that do not exist yet; existing ones are left alone."""
    wanted = list(topics or all_topics(settings))
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=5000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t not in existing]
        if not missing:
            return
        partitions = settings.topic_partitions
        new = [NewTopic(t, 1 if t.endswith(DLQ_SUFFIX) else partitions, 1) for t in missing]
        try:
            await admin.create_topics(new)
        except TopicAlreadyExistsError:
            pass
    finally:
        await admin.close()


def make_producer(settings: Settings) -> AIOKafkaProducer:
    """A plain producer (no idempotence or transactions; the outbox carries the guarantees)."""
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        client_id=f"plantline-{settings.service}",
        acks="all",
        enable_idempotence=False,
        request_timeout_ms=5000,
        retry_backoff_ms=200,
        linger_ms=0,
    )


def make_consumer(settings: Settings, topics: Iterable[str]) -> AIOKafkaConsumer:
    """A consumer in the service's group that commits offsets by hand."""
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=settings.consumer_group,
        client_id=f"plantline-{settings.service}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_uncommitted",
        session_timeout_ms=settings.consumer_session_timeout_ms,
        heartbeat_interval_ms=max(100, settings.consumer_session_timeout_ms // 6),
        max_poll_records=200,
        # The embedded broker holds a fetch for the whole wait even when data arrives meanwhile.
        fetch_max_wait_ms=settings.consumer_fetch_wait_ms,
        metadata_max_age_ms=5000,
        retry_backoff_ms=200,
    )


async def broker_reachable(settings: Settings, timeout: float = 2.0) -> bool:
    """True if the bootstrap broker accepts a connection."""
    host, _, port = settings.kafka_bootstrap.split(",")[0].rpartition(":")
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(host or "127.0.0.1", int(port)), timeout
        )
    except (OSError, TimeoutError, ValueError):
        return False
    writer.close()
    return True


async def stop_quietly(client: AIOKafkaProducer | AIOKafkaConsumer | None) -> None:
    """Stop a Kafka client, ignoring errors from a broker already gone."""
    if client is None:
        return
    # A cancellation is not swallowed: a loop that stops a client on its way round must still end.
    try:
        await asyncio.wait_for(client.stop(), 10)
    except (KafkaError, OSError, TimeoutError):
        log.debug("kafka client stopped with an error", exc_info=True)
