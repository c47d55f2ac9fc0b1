"""The outbox relay: nothing lost when the broker is down, nothing doubled among replicas."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import shared.outbox
from shared.db import Database
from shared.embedded_broker import EmbeddedBroker
from shared.outbox import LEASE_SECONDS, OutboxRelay
from shared.settings import Settings
from shared.tests.probe import envelopes, outbox, read_topic, record_things, running


async def test_events_written_while_the_broker_is_down_all_arrive_once_in_order(
    private_broker: EmbeddedBroker, probe_database: Database, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for("inventory", private_broker.bootstrap)
    relay = OutboxRelay(settings, probe_database, outbox)
    async with running(relay.run()):
        await record_things(probe_database, [("warmup", 0)])
        while relay.published < 1:
            await asyncio.sleep(0.05)
        private_broker.stop()
        # Writes keep being accepted while the broker is away.
        await record_things(probe_database, [(f"K{n % 4}", n) for n in range(40)])
        await asyncio.sleep(1.5)
        # The 40 new events wait; the warm-up one joins them once the broker, back, is found
        # to have lost its logs (a closed connection alone does not say so).
        assert await relay.pending() == 40
        private_broker.start()  # an empty broker: the memory-only build forgot everything
        records = await read_topic(settings, settings.events_topic(), expected=41, timeout=60)
    received = envelopes(records)
    ids = Counter(e.id for e in received)
    assert len(received) == 41 and all(count == 1 for count in ids.values())
    assert relay.resent == 1
    for key in ("K0", "K1", "K2", "K3"):
        numbers = [e.data["n"] for e in received if e.subject == key]
        assert numbers == sorted(numbers) and len(numbers) == 10
    assert await relay.pending() == 0


async def test_two_relay_replicas_publish_each_event_once(
    broker: EmbeddedBroker, probe_database: Database, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for("inventory", broker.bootstrap)
    first = OutboxRelay(settings, probe_database, outbox)
    second = OutboxRelay(settings, probe_database, outbox)
    async with running(first.run()), running(second.run()):
        await asyncio.gather(
            record_things(probe_database, [(f"A{n % 3}", n) for n in range(30)]),
            record_things(probe_database, [(f"B{n % 3}", n) for n in range(30)]),
        )
        records = await read_topic(settings, settings.events_topic(), expected=60)
    received = envelopes(records)
    assert len(received) == 60 and len({e.id for e in received}) == 60
    assert (first.published == 60) != (second.published == 60)  # one leader did the work
    for key in {e.subject for e in received}:
        sequences = [e.sequence for e in received if e.subject == key]
        assert sequences == list(range(1, len(sequences) + 1))


async def test_the_relay_publishes_within_milliseconds_of_a_commit(
    broker: EmbeddedBroker, probe_database: Database, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for("inventory", broker.bootstrap, relay_poll_seconds=30)
    relay = OutboxRelay(settings, probe_database, outbox)
    async with running(relay.run()):
        await record_things(probe_database, [("first", 1)])
        while relay.published < 1:
            await asyncio.sleep(0.01)
        # With a 30 s poll, only the commit's wake-up can make this prompt.
        await record_things(probe_database, [("second", 1)])
        await asyncio.wait_for(_published(relay, 2), timeout=5)


async def _published(relay: OutboxRelay, count: int) -> None:
    while relay.published < count:
        await asyncio.sleep(0.005)


async def test_the_relay_lease_runs_out_by_the_databases_clock_not_the_processs(
    probe_database: Database,
    settings_for: Callable[..., Settings],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = settings_for("inventory", "127.0.0.1:1")
    holder = OutboxRelay(settings, probe_database, outbox)
    assert await holder._hold_lease()
    # Another replica whose clock runs an hour ahead: by its clock the lease ran out long ago.
    monkeypatch.setattr(shared.outbox, "utcnow", lambda: datetime.now(UTC) + timedelta(hours=1))
    ahead = OutboxRelay(settings, probe_database, outbox)
    assert not await ahead._hold_lease()
    async with probe_database.snapshot() as session:
        expires_at = (await session.execute(select(outbox.lease.c.expires_at))).scalar_one()
    # Written by the database's clock: about LEASE_SECONDS from now, whatever the process says.
    left = expires_at.replace(tzinfo=UTC) - datetime.now(UTC)
    assert timedelta(seconds=LEASE_SECONDS - 5) < left <= timedelta(seconds=LEASE_SECONDS + 1)
