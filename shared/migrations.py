"""Alembic per service: each service's migrations/env.py calls `run_env`; code calls `migrate`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Connection, MetaData, pool, text
from sqlalchemy.ext.asyncio import create_async_engine

SERVICES_ROOT = Path(__file__).resolve().parent.parent / "services"
# The key of the PostgreSQL advisory lock a migration holds (advisory locks are per database).
MIGRATION_LOCK_KEY = 0x706C616E746C696E  # "plantlin"


def alembic_config(service: str, database_url: str) -> Config:
    """An Alembic configuration for one service, without an ini file."""
    config = Config()
    config.set_main_option("script_location", str(SERVICES_ROOT / service / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


async def migrate(service: str, database_url: str, revision: str = "heads") -> None:
    """Bring a service's database up to the given revision."""
    from shared.db import Database

    Database._prepare_sqlite_folder(database_url)
    config = alembic_config(service, database_url)
    engine = create_async_engine(database_url, poolclass=pool.NullPool)
    try:
        async with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Replicas starting together on an empty database migrate it one at a time: the
                # first holds the lock until its upgrade commits, the others then find it done.
                # (SQLite's BEGIN IMMEDIATE serialises them already.)
                await connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
            config.attributes["connection"] = connection.sync_connection

            def upgrade(_: Connection) -> None:
                command.upgrade(config, revision)

            await connection.run_sync(upgrade)
    finally:
        await engine.dispose()


def _configure(connection: Connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_env(metadata: MetaData) -> None:
    """Body of a service's env.py: offline SQL, a shared connection, or a fresh async engine."""
    config = context.config
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    shared_connection = config.attributes.get("connection")
    if shared_connection is not None:
        _configure(shared_connection, metadata)
        return

    async def run_async() -> None:
        engine = create_async_engine(
            config.get_main_option("sqlalchemy.url") or "", poolclass=pool.NullPool
        )
        async with engine.connect() as connection:
            await connection.run_sync(_configure, metadata)
        await engine.dispose()

    asyncio.run(run_async())


def revision(service: str, message: str) -> None:
    """Autogenerate a new migration for a service: its models against a scratch database at head."""
    import tempfile

    Path(SERVICES_ROOT / service / "migrations" / "versions").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{scratch}/{service}.db"
        asyncio.run(migrate(service, url))
        command.revision(alembic_config(service, url), message=message, autogenerate=True)
