"""The consumer waits out passing failures (the database away) instead of dead-lettering."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from shared.consumer import EventHandlers, Received, is_poison
from shared.db import Database
from shared.embedded_broker import EmbeddedBroker
from shared.errors import Problem, ServiceUnavailable
from shared.settings import Settings
from shared.testing.databases import ThrowawayDatabases, connections_refused
from shared.testing.stack import eventually
from shared.tests.probe import (
    Counter,
    ThingHappened,
    ThingSeen,
    applied_count,
    consumer,
    counting_handlers,
    failing_on_negatives,
    inbox_size,
    make_database,
    read_topic,
    running,
)
from shared.tests.test_consumer import _produce, _thing
from shared.transient_errors import is_transient


async def _total_applied(database: Database) -> int:
    async with database.transaction() as session:
        rows = (await session.execute(select(Counter.applied))).scalars().all()
    return sum(rows)


async def test_events_arriving_while_postgresql_refuses_connections_are_all_applied_after_and_none_dead_lettered(  # noqa: E501
    broker: EmbeddedBroker,
    postgres_databases: ThrowawayDatabases,
    settings_for: Callable[..., Settings],
) -> None:
    settings = settings_for("production", broker.bootstrap, consumer_stall_max_backoff_seconds=0.5)
    url = await postgres_databases.url("probe")
    database = await make_database(url)
    try:
        runner = consumer(settings, database)
        async with running(runner.run()) as task:
            await _produce(settings, [("warm", _thing("warm", 1, _event_id(0)))])
            await eventually(lambda: _has_applied(database, 1))
            async with connections_refused(url):
                await _produce(
                    settings, [(f"K{n}", _thing(f"K{n}", n, _event_id(n))) for n in range(1, 11)]
                )
                await eventually(lambda: _stalled(runner), timeout=15)
                # Far longer than the bounded retries of a failing event take.
                await asyncio.sleep(3)
            await eventually(lambda: _has_applied(database, 11), timeout=30)
            assert not task.done()
        dead = await read_topic(settings, settings.events_topic("inventory") + ".dlq", expected=0)
        assert dead == []
        assert await inbox_size(database) == 11
        assert await _total_applied(database) == 11
    finally:
        await database.dispose()


def _event_id(n: int) -> str:
    return f"66666666-6666-4666-8666-{n:012d}"


async def _has_applied(database: Database, count: int) -> bool:
    return await _total_applied(database) >= count


async def _stalled(runner: object) -> bool:
    return getattr(runner, "stalled", 0) > 0


async def test_a_handler_failing_with_a_passing_error_is_retried_in_order_until_it_applies(
    broker: EmbeddedBroker, probe_database: Database, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for("production", broker.bootstrap, consumer_stall_max_backoff_seconds=0.2)
    handlers = EventHandlers()
    failures_left = [8]
    seen: list[int] = []

    @handlers.on(ThingHappened.event_type, ThingSeen)
    async def flaky(session: AsyncSession, event: Received[ThingSeen]) -> None:
        if event.data.n == 2 and failures_left[0] > 0:
            failures_left[0] -= 1
            raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
        seen.append(event.data.n)
        await counting_handlers().handlers[ThingHappened.event_type][1](session, event)

    await _produce(settings, [("G", _thing("G", n, _event_id(100 + n))) for n in (1, 2, 3)])
    runner = consumer(settings, probe_database, handlers)
    async with running(runner.run()):
        await eventually(lambda: _applied(probe_database, "G", 3), timeout=30)
    dead = await read_topic(settings, settings.events_topic("inventory") + ".dlq", expected=0)
    assert dead == []
    assert failures_left == [0]
    assert seen == [1, 2, 3]
    assert runner.stalled >= 8


async def _applied(database: Database, key: str, count: int) -> bool:
    return await applied_count(database, key) >= count


class Refused(Problem):
    """A handler's refusal of an event, as a service raises it."""

    status = 422
    slug = "refused"
    title = "Refused"


async def test_an_event_its_handler_refuses_with_a_problem_is_dead_lettered_at_once(
    broker: EmbeddedBroker, probe_database: Database, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for("production", broker.bootstrap)
    attempts: list[int] = []
    handlers = failing_on_negatives(lambda: Refused("a negative thing cannot be counted"), attempts)

    await _produce(
        settings,
        [("H", _thing("H", -1, _event_id(201))), ("H", _thing("H", 2, _event_id(202)))],
    )
    runner = consumer(settings, probe_database, handlers)
    async with running(runner.run()):
        await eventually(lambda: _applied(probe_database, "H", 1))
        dead = await read_topic(settings, settings.events_topic("inventory") + ".dlq", expected=1)
    assert [dict(r.headers)["dlq-error"].decode() for r in dead] == [
        "Refused: a negative thing cannot be counted"
    ]
    assert attempts == [-1]


async def test_a_locked_sqlite_database_is_a_passing_failure_and_a_missing_table_is_not(
    tmp_path: Path,
) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN EXCLUSIVE")
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}", connect_args={"timeout": 0})
    try:
        async with engine.connect() as connection:
            with pytest.raises(Exception) as locked:
                await connection.execute(text("INSERT INTO t VALUES (1)"))
            await connection.rollback()
            holder.execute("ROLLBACK")
            with pytest.raises(Exception) as missing:
                await connection.execute(text("SELECT * FROM no_such_table"))
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
        await engine.dispose()
    assert "database is locked" in str(locked.value)
    assert is_transient(locked.value)
    assert not is_transient(missing.value)


async def test_postgresql_failures_that_pass_are_told_from_those_that_do_not(
    postgres_databases: ThrowawayDatabases,
) -> None:
    url = await postgres_databases.url("kinds")
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER PRIMARY KEY)"))
            await connection.execute(text("INSERT INTO t VALUES (1)"))
        async with engine.connect() as holder, engine.connect() as waiter:
            await holder.execute(text("SELECT * FROM t WHERE x = 1 FOR UPDATE"))
            await waiter.execute(text("SET lock_timeout = '50ms'"))
            with pytest.raises(Exception) as lock_timeout:
                await waiter.execute(text("UPDATE t SET x = 2 WHERE x = 1"))
            await waiter.rollback()
            with pytest.raises(IntegrityError) as duplicate:
                await waiter.execute(text("INSERT INTO t VALUES (1)"))
            await waiter.rollback()
            with pytest.raises(Exception) as missing:
                await waiter.execute(text("SELECT * FROM no_such_table"))
            await holder.rollback()
        async with connections_refused(url):
            await engine.dispose()
            with pytest.raises(Exception) as refused:
                async with engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        with pytest.raises(OSError) as no_server:
            await asyncpg.connect("postgresql://postgres@127.0.0.1:1/postgres", timeout=2)
    finally:
        await engine.dispose()
    assert is_transient(lock_timeout.value)
    assert is_transient(refused.value)
    assert is_transient(no_server.value)
    assert not is_transient(duplicate.value)
    assert not is_transient(missing.value)


def test_another_service_being_unavailable_is_a_passing_failure_not_a_poison_event() -> None:
    unavailable = ServiceUnavailable("Inventory cannot be reached to reserve stock.")
    assert is_transient(unavailable) and not is_poison(unavailable)
    assert is_transient(httpx.ConnectError("connection refused"))
    refused = Refused("a negative thing cannot be counted")
    assert is_poison(refused) and not is_transient(refused)
