"""Dead-letter topics: one name everywhere, and a replay whose effect is applied once."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shared import launcher
from shared.broker import DLQ_SUFFIX, all_topics
from shared.consumer import EventHandlers, Received
from shared.db import Database
from shared.dead_letters import replay_dead_letters
from shared.embedded_broker import EmbeddedBroker
from shared.settings import SERVICES, Settings
from shared.testing.stack import eventually
from shared.tests.probe import (
    ThingHappened,
    ThingSeen,
    applied_count,
    consumer,
    counting_handlers,
    read_topic,
    running,
)
from shared.tests.test_consumer import _produce, _thing

ROOT = Path(__file__).resolve().parents[2]


async def test_a_replayed_dead_letter_is_applied_once_and_replaying_it_again_changes_nothing(
    broker: EmbeddedBroker,
    probe_database: Database,
    settings_for: Callable[..., Settings],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = settings_for("production", broker.bootstrap)
    dlq = settings.events_topic("inventory") + DLQ_SUFFIX
    handlers = EventHandlers()
    broken = [True]

    @handlers.on(ThingHappened.event_type, ThingSeen)
    async def fail_while_broken(session: AsyncSession, event: Received[ThingSeen]) -> None:
        if broken[0]:
            raise RuntimeError("a handler bug, since fixed")
        await counting_handlers().handlers[ThingHappened.event_type][1](session, event)

    await _produce(settings, [("R", _thing("R", 1, "77777777-7777-4777-8777-000000000001"))])
    runner = consumer(settings, probe_database, handlers)
    async with running(runner.run()):
        assert len(await read_topic(settings, dlq, expected=1)) == 1
        assert await applied_count(probe_database, "R") == 0
        broken[0] = False  # the fix is deployed; the operator replays the dead letters
        monkeypatch.setenv("PLANTLINE_KAFKA_BOOTSTRAP", broker.bootstrap)
        monkeypatch.setenv("PLANTLINE_TOPIC_PREFIX", settings.topic_prefix)
        await asyncio.to_thread(launcher.main, ["dlq-replay", dlq])
        await eventually(lambda: _applied(probe_database, "R", 1), timeout=30)
        again = await replay_dead_letters(settings, dlq)
        assert again.replayed == 0  # the replay remembers how far it went
        everything = await replay_dead_letters(settings, dlq, from_start=True)
        assert everything.replayed == 1
        await eventually(lambda: _duplicates(runner, 1), timeout=30)
    assert await applied_count(probe_database, "R") == 1
    assert runner.applied == 1


async def _applied(database: Database, key: str, count: int) -> bool:
    return await applied_count(database, key) >= count


async def _duplicates(runner: object, count: int) -> bool:
    return getattr(runner, "duplicates", 0) >= count


async def test_a_replay_of_one_groups_dead_letters_leaves_the_others(
    broker: EmbeddedBroker, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for("production", broker.bootstrap)
    dlq = settings.events_topic("inventory") + DLQ_SUFFIX
    await _produce_dead_letter(settings, dlq, "plantline.other")
    report = await replay_dead_letters(settings, dlq, consumer_group="plantline.production")
    assert (report.replayed, report.skipped) == (0, 1)


async def _produce_dead_letter(settings: Settings, dlq: str, group: str) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(
            dlq,
            _thing("S", 1, "77777777-7777-4777-8777-000000000002"),
            key=b"S",
            headers=[("dlq-consumer-group", group.encode())],
        )
    finally:
        await producer.stop()


def test_replaying_a_topic_that_is_not_a_dead_letter_topic_is_refused() -> None:
    with pytest.raises(ValueError, match="not a dead-letter topic"):
        asyncio.run(replay_dead_letters(Settings(), "plantline.production.events"))


def test_the_dead_letter_topics_are_named_alike_in_the_code_the_deployment_and_the_docs() -> None:
    expected = set(all_topics(Settings(topic_prefix="plantline")))
    compose = (ROOT / "deploy" / "docker-compose.yml").read_text()
    suffixes = re.search(r"for suffix in ([^;]+);", compose)
    assert suffixes is not None
    created = {
        f"plantline.{service}.{suffix}"
        for service in SERVICES
        for suffix in suffixes.group(1).split()
    }
    assert created == expected
    for document in ("README.md", "deploy/README.md"):
        text = (ROOT / document).read_text()
        assert "<service>.events.dlq" in text, document
        assert not re.search(r"plantline\.<service>\.dlq", text), document
