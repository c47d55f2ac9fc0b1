"""Async SQLAlchemy engine and sessions for SQLite (WAL) and PostgreSQL, with shared column types."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Dialect,
    MetaData,
    Numeric,
    String,
    event,
    func,
    make_url,
)
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.types import TypeDecorator

from shared.numbers import LIMIT, MAX_DIGITS, SCALE, AmountOutOfRange, quantize

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Amount(TypeDecorator[Decimal]):
    """A Decimal at the project's scale: NUMERIC on PostgreSQL, a scaled integer on SQLite.

    SQLite has no exact decimal type; a scaled integer keeps sums and comparisons exact in SQL.
    """

    impl = Numeric(MAX_DIGITS, SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(MAX_DIGITS, SCALE, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        # One bound on both databases, so an amount SQLite cannot hold fails the same on PostgreSQL.
        given = Decimal(value)
        if not given.is_finite() or abs(given) >= LIMIT:
            raise AmountOutOfRange(given)
        exact = quantize(given)
        if abs(exact) >= LIMIT:
            raise AmountOutOfRange(exact)
        if dialect.name == "sqlite":
            return int(exact.scaleb(SCALE))
        return exact

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return quantize(Decimal(int(value)).scaleb(-SCALE))
        return quantize(value)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on both databases (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def new_id() -> str:
    """A new random identifier (UUID4 as text)."""
    return str(uuid.uuid4())


def uuid_column_type() -> String:
    """Column type for identifiers."""
    return String(36)


TYPE_ANNOTATION_MAP: dict[Any, Any] = {Decimal: Amount(), datetime: UtcDateTime()}
"""Column types of a declarative base: Decimals as exact amounts, datetimes in UTC."""


def service_metadata() -> MetaData:
    """A service's metadata: the project's naming convention and the outbox, inbox and
    idempotency tables every service has. A service's base is then

        class Base(DeclarativeBase):
            metadata = service_metadata()
            type_annotation_map = TYPE_ANNOTATION_MAP
    """
    from shared.tables import define_mechanics_tables

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    define_mechanics_tables(metadata)
    return metadata


def _configure_sqlite(engine: AsyncEngine, *, read_only: bool = False) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets readers run beside the single writer; the busy timeout makes writers queue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # BEGIN IMMEDIATE takes the write lock up front, so two read-then-write
        # transactions cannot both read the same stock and then both write. A read-only
        # transaction begins deferred: in WAL it reads a snapshot and takes no lock.
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _sqlite_file(url: str) -> str | None:
    """The file of a SQLite URL; None for a database in memory."""
    path = url.split("///", 1)[-1] if "///" in url else ""
    if not path or path.startswith(":memory:") or "mode=memory" in path:
        return None
    return path


def _sqlite_driver(url: str) -> dict[str, Any]:
    """Engine arguments that give aiosqlite one trip to its thread per statement."""
    if make_url(url).get_driver_name() != "aiosqlite":
        return {}
    from shared.sqlite_driver import one_trip_dbapi

    return {"module": one_trip_dbapi()}


class Database:
    """An engine and a session factory for one service's database."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self._prepare_sqlite_folder(url)
            driver = _sqlite_driver(url)
            self.engine = create_async_engine(
                url, echo=echo, pool_size=5, max_overflow=10, **driver
            )
            _configure_sqlite(self.engine)
        else:
            self.engine = create_async_engine(
                url, echo=echo, pool_size=10, max_overflow=20, pool_pre_ping=True
            )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time. Queueing this process's transactions here hands the
        # lock over at once; left to SQLite's busy handler, waiters sleep up to 100 ms a try.
        self._sqlite_turn = asyncio.Lock() if self.is_sqlite else None
        # Readers that need not queue with the writers get their own connections on SQLite
        # (a database in memory is one connection's alone, so it has none).
        self._snapshot_engine: AsyncEngine | None = None
        self._snapshots = self.sessions
        if self.is_sqlite and _sqlite_file(url) is not None:
            self._snapshot_engine = create_async_engine(
                url, echo=echo, pool_size=2, max_overflow=3, **driver
            )
            _configure_sqlite(self._snapshot_engine, read_only=True)
            self._snapshots = async_sessionmaker(self._snapshot_engine, expire_on_commit=False)
        elif not self.is_sqlite:
            # One snapshot for the whole read (every statement sees the same committed state),
            # and no write can slip in; the driver opens it in the BEGIN, at no extra round trip.
            self._snapshots = async_sessionmaker(
                self.engine.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                ),
                expire_on_commit=False,
            )

    @staticmethod
    def _prepare_sqlite_folder(url: str) -> None:
        from pathlib import Path

        path = _sqlite_file(url)
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error."""
        if self._sqlite_turn is None:
            async with self.sessions() as session, session.begin():
                yield session
            return
        async with self._sqlite_turn, self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[AsyncSession]:
        """A read-only session inside one transaction that does not queue with the writers.

        On SQLite it reads the last committed state on a connection of its own (WAL readers
        neither block nor wait for the writer) and cannot write; on PostgreSQL it is a
        REPEATABLE READ READ ONLY transaction: one snapshot for all its statements, no writes.
        """
        if self._snapshot_engine is None and self._sqlite_turn is not None:
            async with self.transaction() as session:
                yield session
            return
        async with self._snapshots() as session, session.begin():
            yield session

    async def ping(self) -> None:
        """Raise if the database cannot be reached."""
        from sqlalchemy import text

        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        """Close every pooled connection."""
        if self._snapshot_engine is not None:
            await self._snapshot_engine.dispose()
        await self.engine.dispose()


def database_clock(dialect: str, plus_seconds: float = 0) -> Any:
    """The database server's current time (plus some seconds) as a SQL expression, comparable
    with UtcDateTime columns: what every process sharing the database agrees on."""
    if dialect == "sqlite":
        # The stored form of UtcDateTime on SQLite: naive UTC text, 'YYYY-MM-DD HH:MM:SS.fff'.
        return func.strftime("%Y-%m-%d %H:%M:%f", "now", f"{plus_seconds:+.3f} seconds")
    return func.now() + timedelta(seconds=plus_seconds)
