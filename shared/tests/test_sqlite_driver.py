"""The SQLite driver: one trip to aiosqlite's thread per statement, with the DBAPI's answers intact."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from shared.db import Database


@pytest.fixture
async def database(tmp_path: Path) -> Any:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with database.transaction() as session:
        await session.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    yield database
    await database.dispose()


async def test_a_statement_takes_one_trip_to_the_driver_thread(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    trips: list[str] = []
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(getattr(fn, "__name__", repr(fn)))
        return await real(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    async with database.transaction() as session:
        await session.execute(text("INSERT INTO t (name) VALUES ('a'), ('b')"))
        rows = (await session.execute(text("SELECT name FROM t ORDER BY id"))).scalars().all()
    assert rows == ["a", "b"]
    # BEGIN goes with the INSERT, then the SELECT, then the COMMIT; the pool's rollback of a
    # committed connection needs none.
    assert trips == ["_run", "_run", "commit"]
    trips.clear()
    async with database.transaction():
        pass
    assert trips == []


async def test_row_counts_row_ids_and_many_rows_come_back(database: Database) -> None:
    async with database.transaction() as session:
        inserted = await session.execute(text("INSERT INTO t (name) VALUES ('a')"))
        assert inserted.lastrowid == 1  # type: ignore[attr-defined]
        await session.execute(
            text("INSERT INTO t (name) VALUES (:name)"), [{"name": "b"}, {"name": "c"}]
        )
        updated = await session.execute(text("UPDATE t SET name = name || '!' WHERE id > 1"))
        assert updated.rowcount == 2  # type: ignore[attr-defined]
        returned = await session.execute(text("DELETE FROM t WHERE id = 3 RETURNING name"))
        assert returned.scalars().all() == ["c!"]
    async with database.snapshot() as session:
        names = (await session.execute(text("SELECT name FROM t ORDER BY id"))).scalars().all()
    assert names == ["a", "b!"]


async def test_a_failed_statement_raises_and_its_transaction_changes_nothing(
    database: Database,
) -> None:
    with pytest.raises(IntegrityError):
        async with database.transaction() as session:
            await session.execute(text("INSERT INTO t (name) VALUES ('a')"))
            await session.execute(text("INSERT INTO t (name) VALUES ('a')"))
    async with database.transaction() as session:
        await session.execute(text("INSERT INTO t (name) VALUES ('a')"))
        count = (await session.execute(text("SELECT count(*) FROM t"))).scalar_one()
    assert count == 1


async def test_a_connection_cancelled_while_opening_leaves_no_driver_thread_behind(
    tmp_path: Path,
) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'cancelled.db'}")
    before = set(threading.enumerate())

    async def connect() -> None:
        async with database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    opening = asyncio.create_task(connect())
    await asyncio.sleep(0)  # the task runs until it waits for the driver's thread to connect
    opening.cancel()
    with pytest.raises(asyncio.CancelledError):
        await opening
    await database.dispose()
    assert [thread for thread in set(threading.enumerate()) - before if thread.is_alive()] == []
