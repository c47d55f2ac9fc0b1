"""Database.snapshot: reading the committed state beside a writer, without waiting for it."""

from __future__ import annotations

import asyncio
import sqlite3

import asyncpg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import Database
from shared.testing.databases import ThrowawayDatabases
from shared.tests.probe import Counter, ThingHappened, make_database, outbox, record_things


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
        # The writer writes now, so it holds the database's write lock (SQLite) or a row
        # lock (PostgreSQL) until it commits.
        writing.add(Counter(key="busy", applied=1))
        await writing.flush()
        assert await _write_lock_held(probe_database)
        # Bounded only so that a snapshot queued behind the writer fails instead of hanging.
        assert await asyncio.wait_for(outbox_rows(probe_database), 30) == 1
    assert await outbox_rows(probe_database) == 2
    assert not await _write_lock_held(probe_database)


async def _write_lock_held(database: Database) -> bool:
    """True if another connection cannot write the busy row now, without waiting."""
    if database.is_sqlite:
        path = database.url.split("///", 1)[1]
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            return "locked" in str(exc)
        else:
            other.execute("ROLLBACK")
            return False
        finally:
            other.close()
    dsn = database.url.replace("postgresql+asyncpg://", "postgresql://")
    other_pg = await asyncpg.connect(dsn)
    try:
        await other_pg.execute("SET lock_timeout = '100ms'")
        await other_pg.execute("INSERT INTO probe_counters (key, applied) VALUES ('busy', 1)")
    except asyncpg.exceptions.LockNotAvailableError:
        return True
    except asyncpg.exceptions.UniqueViolationError:
        return False  # committed already: no lock
    finally:
        await other_pg.close()
    return False


async def test_a_snapshot_on_sqlite_cannot_write(probe_database: Database) -> None:
    if not probe_database.is_sqlite:
        pytest.skip("on PostgreSQL a snapshot is an ordinary transaction")
    with pytest.raises(OperationalError, match="readonly"):
        async with probe_database.snapshot() as session:
            await session.execute(text("DELETE FROM outbox"))


async def test_a_postgresql_snapshot_is_repeatable_read_and_read_only(
    postgres_databases: ThrowawayDatabases,
) -> None:
    database = await make_database(await postgres_databases.url("probe"))
    try:
        await record_things(database, [("K", 1)])
        async with database.snapshot() as session:
            isolation = (await session.execute(text("SHOW transaction_isolation"))).scalar_one()
            read_only = (await session.execute(text("SHOW transaction_read_only"))).scalar_one()
            before = await _count_in(session)
            await record_things(database, [("K", 2)])  # committed meanwhile
            assert await _count_in(session) == before  # one snapshot for the whole read
        assert (isolation, read_only) == ("repeatable read", "on")
        assert await outbox_rows(database) == before + 1
        with pytest.raises(DBAPIError, match="read-only transaction"):
            async with database.snapshot() as session:
                await session.execute(text("DELETE FROM outbox"))
    finally:
        await database.dispose()


async def _count_in(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(outbox.table))).scalar_one())
