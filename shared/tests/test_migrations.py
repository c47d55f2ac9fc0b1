"""Migrations: replicas starting together migrate once; models and migrations agree."""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, pool, text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.migrations import alembic_config, migrate
from shared.settings import SERVICES
from shared.testing.databases import ThrowawayDatabases


def _metadata(service: str) -> MetaData:
    return importlib.import_module(f"services.{service}.app").definition.metadata  # type: ignore[no-any-return]


def _head(service: str, url: str) -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config(service, url)).get_heads())


async def test_six_replicas_migrating_an_empty_postgresql_database_together_all_succeed(
    postgres_databases: ThrowawayDatabases,
) -> None:
    url = await postgres_databases.url("replicas")
    env = {**os.environ, "PLANTLINE_DATABASE_URL": url}
    # Six processes, as six replicas starting at once would be.
    replicas = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "shared.launcher",
            "migrate",
            "inventory",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        for _ in range(6)
    ]
    outputs = await asyncio.wait_for(asyncio.gather(*(r.communicate() for r in replicas)), 300)
    failed = [
        out.decode()[-2000:] for r, (out, _) in zip(replicas, outputs, strict=True) if r.returncode
    ]
    assert failed == []
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            versions = await connection.execute(text("SELECT version_num FROM alembic_version"))
            assert {row[0] for row in versions} == _head("inventory", url)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("service", SERVICES)
async def test_the_models_and_the_migrations_of_each_service_agree(
    service: str, databases: ThrowawayDatabases
) -> None:
    url = await databases.url(f"schema_{service}")
    await migrate(service, url)
    metadata = _metadata(service)

    def differences(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "target_metadata": metadata}
        )
        return list(compare_metadata(context, metadata))

    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(differences)
    finally:
        await engine.dispose()
    assert diff == []
