"""Throwaway databases: a SQLite file, or a fresh PostgreSQL database when one answers."""

from __future__ import annotations

import asyncio
import os
import secrets
import sqlite3
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from sqlalchemy import make_url

from shared.embedded_broker import port_open

POSTGRES_ADMIN_DSN = os.environ.get(
    "PLANTLINE_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def postgres_port() -> int:
    """The port of the test PostgreSQL server (PLANTLINE_TEST_POSTGRES_PORT, default 5432)."""
    return int(os.environ.get("PLANTLINE_TEST_POSTGRES_PORT", "5432"))


def postgres_available() -> bool:
    """True when the test PostgreSQL server accepts connections."""
    return port_open("127.0.0.1", postgres_port())


class _Templates:
    """Each service's database migrated once per process, which new ones are copied from: a
    SQLite file, or a PostgreSQL database that `CREATE DATABASE ... TEMPLATE` copies."""

    def __init__(self) -> None:
        self.made: dict[tuple[str, str], str] = {}
        self.locks: dict[tuple[str, str], asyncio.Lock] = {}
        self.folder: Path | None = None

    async def of(self, backend: str, service: str) -> str:
        """The template's SQLite path or PostgreSQL database name, migrated the first time."""
        key = (backend, service)
        async with self.locks.setdefault(key, asyncio.Lock()):
            if key not in self.made:
                self.made[key] = await self._make(backend, service)
        return self.made[key]

    async def _make(self, backend: str, service: str) -> str:
        from shared.migrations import migrate

        if backend == "sqlite":
            self.folder = self.folder or Path(tempfile.mkdtemp(prefix="plantline-templates-"))
            path = self.folder / f"{service}.db"
            await migrate(service, f"sqlite+aiosqlite:///{path}")
            return str(path)
        database = f"plantline_template_{service}_{os.getpid()}_{secrets.token_hex(3)}"
        await _admin(f'CREATE DATABASE "{database}"')
        await migrate(service, _postgres_url(database))
        return database

    async def drop(self) -> None:
        """Drop the PostgreSQL templates this process made."""
        for (backend, _), database in list(self.made.items()):
            if backend == "postgresql":
                await _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self.made.clear()
        self.locks.clear()


TEMPLATES = _Templates()


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def _postgres_url(database: str) -> str:
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{database}"


class ThrowawayDatabases:
    """Creates databases for one test and drops them after."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend = backend
        self.folder = folder
        self.created: list[str] = []

    async def url(self, name: str) -> str:
        """A new empty database's async SQLAlchemy URL."""
        if self.backend == "sqlite":
            return f"sqlite+aiosqlite:///{self.folder / name}.db"
        database = f"plantline_test_{name}_{secrets.token_hex(4)}"
        await _admin(f'CREATE DATABASE "{database}"')
        self.created.append(database)
        return _postgres_url(database)

    async def migrated_url(self, name: str) -> str:
        """A new database of service `name` at its migrations' head, copied from a template
        migrated once per process (migrating each test's databases anew took most of their
        set-up)."""
        template = await TEMPLATES.of(self.backend, name)
        if self.backend == "sqlite":
            path = self.folder / f"{name}.db"
            path.parent.mkdir(parents=True, exist_ok=True)
            source, copy = sqlite3.connect(template), sqlite3.connect(path)
            try:
                source.backup(copy)
            finally:
                source.close()
                copy.close()
            return f"sqlite+aiosqlite:///{path}"
        database = f"plantline_test_{name}_{secrets.token_hex(4)}"
        await _admin(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        self.created.append(database)
        return _postgres_url(database)

    async def drop_all(self) -> None:
        """Drop every database this object created."""
        if not self.created:
            return
        connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            for database in self.created:
                await connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        finally:
            await connection.close()
        self.created.clear()


@asynccontextmanager
async def connections_refused(url: str) -> AsyncIterator[None]:
    """For the block, the PostgreSQL database of `url` refuses new connections and the open ones
    are ended, as when the server restarts or the network to it fails."""
    name = make_url(url).database
    admin = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        yield
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()
