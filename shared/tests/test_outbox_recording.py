"""Recording events: numbered per aggregate in the order recorded, written with their transaction,
dropped with a savepoint or a transaction that is rolled back."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from shared.db import Database
from shared.tests.probe import ThingHappened, outbox


async def rows(database: Database) -> list[tuple[str, int, int]]:
    """(subject, sequence, n) of every outbox row, in the order written."""
    async with database.snapshot() as session:
        found = await session.execute(
            select(outbox.table.c.key, outbox.table.c.sequence, outbox.table.c.envelope).order_by(
                outbox.table.c.id
            )
        )
        return [
            (key, sequence, json.loads(envelope)["data"]["n"]) for key, sequence, envelope in found
        ]


async def test_events_of_one_transaction_are_numbered_per_aggregate_in_order(
    probe_database: Database,
) -> None:
    async with probe_database.transaction() as session:
        for key, n in [("A", 1), ("B", 2), ("A", 3), ("A", 4)]:
            await outbox.record(session, ThingHappened(key=key, n=n), key)
    async with probe_database.transaction() as session:
        for key, n in [("B", 5), ("A", 6)]:
            await outbox.record(session, ThingHappened(key=key, n=n), key)
    assert await rows(probe_database) == [
        ("A", 1, 1),
        ("B", 1, 2),
        ("A", 2, 3),
        ("A", 3, 4),
        ("B", 2, 5),
        ("A", 4, 6),
    ]


async def test_an_event_recorded_in_a_savepoint_rolled_back_is_not_written(
    probe_database: Database,
) -> None:
    async with probe_database.transaction() as session:
        await outbox.record(session, ThingHappened(key="A", n=1), "A")
        with pytest.raises(RuntimeError):
            async with session.begin_nested():
                await outbox.record(session, ThingHappened(key="A", n=2), "A")
                async with session.begin_nested():
                    await outbox.record(session, ThingHappened(key="B", n=3), "B")
                raise RuntimeError("the handler failed")
        async with session.begin_nested():
            await outbox.record(session, ThingHappened(key="A", n=4), "A")
    assert await rows(probe_database) == [("A", 1, 1), ("A", 2, 4)]


async def test_events_of_a_transaction_rolled_back_are_not_written(
    probe_database: Database,
) -> None:
    with pytest.raises(RuntimeError):
        async with probe_database.transaction() as session:
            await outbox.record(session, ThingHappened(key="A", n=1), "A")
            raise RuntimeError("the request failed")
    async with probe_database.transaction() as session:
        await outbox.record(session, ThingHappened(key="A", n=2), "A")
    assert await rows(probe_database) == [("A", 1, 2)]
