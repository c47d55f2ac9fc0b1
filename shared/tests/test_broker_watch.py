"""The broker watch tells a broker that lost its logs from one that closed an idle connection."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from shared.db import Database
from shared.embedded_broker import EmbeddedBroker
from shared.outbox import OutboxRelay
from shared.settings import Settings
from shared.testing.stack import eventually
from shared.testing.tcp_proxy import IdleClosingProxy
from shared.tests.probe import (
    applied_count,
    consumer,
    envelopes,
    outbox,
    read_topic,
    record_things,
    running,
)


@pytest.fixture
async def idle_closing(broker: EmbeddedBroker) -> AsyncIterator[IdleClosingProxy]:
    """The shared broker behind a proxy closing connections idle for 1.5 s."""
    proxy = IdleClosingProxy(broker.host, broker.port, idle_seconds=1.5)
    await proxy.start()
    yield proxy
    await proxy.stop()


async def test_idle_connections_closed_by_the_broker_cause_no_republishing_and_no_consumer_restart(
    idle_closing: IdleClosingProxy,
    probe_database: Database,
    settings_for: Callable[..., Settings],
) -> None:
    publishing = settings_for("inventory", idle_closing.address)
    consuming = settings_for("production", idle_closing.address)
    relay = OutboxRelay(publishing, probe_database, outbox)
    runner = consumer(consuming, probe_database)
    async with running(relay.run()), running(runner.run()):
        await record_things(probe_database, [("I", 1)])
        await eventually(lambda: _applied(probe_database, "I", 1), timeout=30)
        # Quiet long enough for the watches' connections to be closed as idle, more than once.
        await eventually(lambda: _closed_idle(idle_closing, 4), timeout=30)
        await record_things(probe_database, [("I", 2)])
        await eventually(lambda: _applied(probe_database, "I", 2), timeout=30)
        assert relay._watch.verified >= 1 and runner._watch.verified >= 1
    assert relay.resent == 0
    assert runner.starts == 1
    records = await read_topic(publishing, publishing.events_topic(), expected=2)
    assert [e.data["n"] for e in envelopes(records)] == [1, 2]


async def _applied(database: Database, key: str, count: int) -> bool:
    return await applied_count(database, key) >= count


async def _closed_idle(proxy: IdleClosingProxy, count: int) -> bool:
    await asyncio.sleep(0)
    return proxy.closed_idle >= count
