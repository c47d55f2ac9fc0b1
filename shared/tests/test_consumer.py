"""The consumer runner: once-only effects, crash safety and the dead-letter topic."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from pydantic import BaseModel

from shared.broker import ensure_topics
from shared.consumer import EventConsumer
from shared.db import Database
from shared.embedded_broker import EmbeddedBroker
from shared.events import make_envelope
from shared.settings import Settings
from shared.testing.stack import eventually
from shared.tests.probe import (
    ThingHappened,
    applied_count,
    consumer,
    counting_handlers,
    failing_on_negatives,
    inbox_size,
    read_topic,
    running,
    tables,
)


def _thing(key: str, n: int, event_id: str) -> bytes:
    return make_envelope(
        service="inventory",
        event=ThingHappened(key=key, n=n),
        subject=key,
        event_id=event_id,
        sequence=n,
        traceparent=None,
    ).to_json()


async def _produce(settings: Settings, messages: list[tuple[str, bytes]]) -> None:
    await ensure_topics(settings)
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(
                settings.events_topic("inventory"), value, key=key.encode()
            )
    finally:
        await producer.stop()


async def test_a_duplicated_and_replayed_event_has_one_effect(
    broker: EmbeddedBroker, probe_database: Database, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for("production", broker.bootstrap)
    event = _thing("A", 1, "11111111-1111-4111-8111-111111111111")
    await _produce(settings, [("A", event), ("A", event)])
    first = consumer(settings, probe_database)
    async with running(first.run()):
        await eventually(lambda: _inbox_has(probe_database, 1))
        await eventually(lambda: _duplicates(first, 1))
    # A replay: the same event again, read by a consumer of another group from the start.
    await _produce(settings, [("A", event)])
    replay = consumer(settings_for("logistics", broker.bootstrap), probe_database)
    async with running(replay.run()):
        # It did read all three copies (the inbox turned each away), not merely nothing yet.
        await eventually(lambda: _duplicates(replay, 3), timeout=30)
    assert await applied_count(probe_database, "A") == 1
    assert first.applied == 1 and first.duplicates == 1
    assert (replay.applied, replay.duplicates) == (0, 3)


async def _duplicates(runner: EventConsumer, count: int) -> bool:
    return runner.duplicates >= count


async def _inbox_has(database: Database, count: int) -> bool:
    return await inbox_size(database) >= count


class CrashingBeforeCommit(EventConsumer):
    """Dies (once) after its transaction committed but before the offset commit."""

    crashes = 0

    async def _commit(
        self, kafka_consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, int]
    ) -> None:
        if self.crashes == 0:
            self.crashes += 1
            raise ConnectionAbortedError("process killed before committing the offset")
        await super()._commit(kafka_consumer, offsets)


async def test_a_consumer_killed_between_applying_and_committing_applies_nothing_twice(
    broker: EmbeddedBroker, probe_database: Database, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for("production", broker.bootstrap)
    await _produce(
        settings,
        [("B", _thing("B", n, f"22222222-2222-4222-8222-00000000000{n}")) for n in range(1, 4)],
    )
    crashing = CrashingBeforeCommit(settings, probe_database, tables(), counting_handlers())
    async with running(crashing.run()):
        # The runner restarts after the crash; the uncommitted events are delivered again.
        await eventually(lambda: _offsets_committed(settings, 3), timeout=30)
    assert crashing.crashes == 1
    assert await applied_count(probe_database, "B") == 3
    assert crashing.applied == 3


async def _offsets_committed(settings: Settings, expected: int) -> bool:
    kafka_consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap, group_id=settings.consumer_group
    )
    await kafka_consumer.start()
    try:
        topic = settings.events_topic("inventory")
        partitions = kafka_consumer.partitions_for_topic(topic) or set()
        total = 0
        for partition in partitions:
            committed = await kafka_consumer.committed(TopicPartition(topic, partition))
            total += committed or 0
        return total >= expected
    finally:
        await kafka_consumer.stop()


class Amount(BaseModel):
    """Reads the probe event, failing for negative numbers like a handler bug would."""

    key: str
    n: int


async def test_poison_messages_go_to_the_dead_letter_topic_and_the_partition_moves_on(
    broker: EmbeddedBroker, probe_database: Database, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for("production", broker.bootstrap)
    attempts: list[int] = []
    handlers = failing_on_negatives(
        lambda: RuntimeError("cannot handle a negative thing"), attempts
    )

    # All on one key, so one partition: garbage, a failing event, then a good one.
    await _produce(
        settings,
        [
            ("C", b"{not json"),
            ("C", _thing("C", -1, "33333333-3333-4333-8333-000000000001")),
            ("C", _thing("C", 2, "33333333-3333-4333-8333-000000000002")),
        ],
    )
    runner = consumer(settings, probe_database, handlers)
    async with running(runner.run()):
        await eventually(lambda: _applied(probe_database, "C", 1))
        dead = await read_topic(settings, settings.events_topic("inventory") + ".dlq", expected=2)
    assert len(dead) == 2
    errors = [dict(record.headers)["dlq-error"].decode() for record in dead]
    assert "not a valid event envelope" in errors[0]
    assert "cannot handle a negative thing" in errors[1]
    assert dead[0].value == b"{not json"
    assert attempts == [-1] * settings.consumer_retries
    assert await inbox_size(probe_database) == 1


async def _applied(database: Database, key: str, count: int) -> bool:
    return await applied_count(database, key) >= count


async def test_the_consumer_keeps_applying_events_after_the_broker_restarts_empty(
    private_broker: EmbeddedBroker, probe_database: Database, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for("production", private_broker.bootstrap)
    before = [("D", _thing("D", n, f"44444444-4444-4444-8444-00000000000{n}")) for n in (1, 2, 3)]
    after = [("D", _thing("D", n, f"44444444-4444-4444-8444-00000000000{n}")) for n in (4, 5, 6)]
    await _produce(settings, before)
    runner = consumer(settings, probe_database)
    async with running(runner.run()) as task:
        await eventually(lambda: _applied(probe_database, "D", 3))
        private_broker.stop()
        await asyncio.sleep(1.0)
        private_broker.start()  # the memory-only build comes back with no topics and no offsets
        await _produce(settings, after)
        await eventually(lambda: _applied(probe_database, "D", 6), timeout=30)
        assert not task.done()
    assert await applied_count(probe_database, "D") == 6
    assert await inbox_size(probe_database) == 6


async def test_a_committed_offset_beyond_the_end_of_the_log_is_read_again_from_the_start(
    broker: EmbeddedBroker, probe_database: Database, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for("production", broker.bootstrap, topic_partitions=1)
    topic = settings.events_topic("inventory")
    await ensure_topics(settings, [topic])
    # The group's offset from a log the broker has lost: past anything now on the topic.
    await _commit_for_group(settings, TopicPartition(topic, 0), 57)
    events = [("F", _thing("F", n, f"55555555-5555-4555-8555-00000000000{n}")) for n in (1, 2, 3)]
    await _produce(settings, events)
    async with running(consumer(settings, probe_database).run()):
        await eventually(lambda: _applied(probe_database, "F", 3), timeout=30)
    assert await inbox_size(probe_database) == 3


async def _commit_for_group(settings: Settings, partition: TopicPartition, offset: int) -> None:
    kafka_consumer = AIOKafkaConsumer(
        partition.topic,
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=settings.consumer_group,
        enable_auto_commit=False,
        session_timeout_ms=settings.consumer_session_timeout_ms,
    )
    await kafka_consumer.start()
    try:
        while partition not in kafka_consumer.assignment():
            await kafka_consumer.getmany(timeout_ms=200)
        await kafka_consumer.commit({partition: offset})
    finally:
        await kafka_consumer.stop()
