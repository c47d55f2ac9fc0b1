"""Replaying a dead-letter topic: each record goes back to the topic it came from.

Every consumer of that topic reads it again; the inbox of a consumer that had applied it skips
it, so a replayed event takes effect once, in the consumer that could not apply it before.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.broker import DLQ_SUFFIX, ensure_topics, make_producer, stop_quietly
from shared.settings import Settings

log = logging.getLogger("plantline.dead_letters")

DLQ_HEADER_PREFIX = "dlq-"


@dataclass(frozen=True)
class ReplayReport:
    """What a replay did."""

    topic: str
    replayed: int
    skipped: int


def replay_group(settings: Settings) -> str:
    """The consumer group that remembers how far the dead-letter topics were replayed."""
    return f"{settings.topic_prefix}.dlq-replay"


async def replay_dead_letters(
    settings: Settings, topic: str, *, from_start: bool = False, consumer_group: str | None = None
) -> ReplayReport:
    """Send the records of a dead-letter topic back to their topics, up to its end now.

    Each record is replayed once: the replay group's offset moves past it after the send, so
    running again replays only what was dead-lettered since (or everything, `from_start`).
    `consumer_group` replays only the records that group dead-lettered.
    """
    if not topic.endswith(DLQ_SUFFIX):
        raise ValueError(f"{topic} is not a dead-letter topic (its name ends with {DLQ_SUFFIX})")
    await ensure_topics(settings, [topic, topic.removesuffix(DLQ_SUFFIX)])
    reader = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=replay_group(settings),
        client_id=f"plantline-{settings.service}-dlq-replay",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    producer = make_producer(settings)
    await reader.start()
    await producer.start()
    replayed = skipped = 0
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(await _partitions(reader, topic))]
        reader.assign(partitions)
        if from_start:
            await reader.seek_to_beginning(*partitions)
        ends = await reader.end_offsets(partitions)
        for partition in partitions:
            while await reader.position(partition) < ends[partition]:
                batch = await reader.getmany(partition, timeout_ms=1000, max_records=200)
                for record in batch.get(partition, []):
                    if record.offset >= ends[partition]:
                        break
                    headers = dict(record.headers or ())
                    origin = headers.get("dlq-topic", b"").decode() or topic.removesuffix(
                        DLQ_SUFFIX
                    )
                    group = headers.get("dlq-consumer-group", b"").decode()
                    if consumer_group is not None and group != consumer_group:
                        skipped += 1
                    else:
                        await producer.send_and_wait(
                            origin,
                            value=record.value,
                            key=record.key,
                            headers=[
                                (name, value)
                                for name, value in record.headers or ()
                                if not name.startswith(DLQ_HEADER_PREFIX)
                            ],
                        )
                        replayed += 1
                    await reader.commit({partition: record.offset + 1})
    finally:
        await stop_quietly(producer)
        await stop_quietly(reader)
    log.warning("replayed %d dead-lettered events of %s (%d skipped)", replayed, topic, skipped)
    return ReplayReport(topic=topic, replayed=replayed, skipped=skipped)


async def _partitions(reader: AIOKafkaConsumer, topic: str) -> set[int]:
    await reader.topics()  # fetches the cluster's metadata, so the topic's partitions are known
    return set(reader.partitions_for_topic(topic) or ())
