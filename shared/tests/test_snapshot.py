"""Database.snapshot: reading the committed state beside a writer, without waiting for it."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from shared.db import Database
from shared.tests.probe import ThingHappened, outbox, record_things


async def outbox_rows(database: Database) -> int:
    async with database.snapshot() as session:
        return int(
            (await session.execute(select(func.count()).select_from(outbox.table))).scalar_one()
        )


async def test_a_snapshot_reads_the_committed_state_while_a_writer_is_busy(
    probe_database: Database,
) -> None:
    await record_things(probe_database, [("K", 1)])
    async with probe_database.transaction() as writing:
        await outbox.record(writing, ThingHappened(key="K", n=2), "K")
        # Bounded only so that a snapshot queued behind the writer fails instead of hanging.
        assert await asyncio.wait_for(outbox_rows(probe_database), 30) == 1
    assert await outbox_rows(probe_database) == 2


async def test_a_snapshot_on_sqlite_cannot_write(probe_database: Database) -> None:
    if not probe_database.is_sqlite:
        pytest.skip("on PostgreSQL a snapshot is an ordinary transaction")
    with pytest.raises(OperationalError, match="readonly"):
        async with probe_database.snapshot() as session:
            await session.execute(text("DELETE FROM outbox"))
