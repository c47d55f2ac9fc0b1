"""Throwaway databases: a SQLite file, or a fresh PostgreSQL database when one answers."""

from __future__ import annotations

import os
import secrets
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
        connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
        try:
            await connection.execute(f'CREATE DATABASE "{database}"')
        finally:
            await connection.close()
        self.created.append(database)
        base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace(
            "postgresql://", "postgresql+asyncpg://"
        )
        return f"{base}/{database}"

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
