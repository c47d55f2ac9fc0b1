"""The pytest plugin every test run loads (see pyproject): broker, databases, stacks."""

from __future__ import annotations

import asyncio
import importlib
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from shared.embedded_broker import EmbeddedBroker, free_port
from shared.settings import SERVICES, Settings
from shared.testing.databases import (
    TEMPLATES,
    ThrowawayDatabases,
    postgres_available,
    postgres_port,
)
from shared.testing.stack import Stack

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", autouse=True)
def database_templates() -> Iterator[None]:
    """Drops, after the run, the PostgreSQL templates that test databases were copied from."""
    yield
    if TEMPLATES.made and postgres_available():
        asyncio.run(TEMPLATES.drop())


@pytest.fixture(scope="session")
def applications(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The four services' applications, built once and never started: for their documents."""
    folder = tmp_path_factory.mktemp("documents")
    return {
        name: importlib.import_module(f"services.{name}.app").create_app(
            Settings(service=name, data_dir=folder, enable_messaging=False, dev_mode=True)
        )
        for name in SERVICES
    }


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    """One embedded broker on a free port for the whole run (each test uses its own topics)."""
    server = EmbeddedBroker(free_port(), log_path=tmp_path_factory.mktemp("broker") / "broker.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def private_broker(tmp_path: Path) -> Iterator[EmbeddedBroker]:
    """A broker of the test's own, which the test may stop and restart."""
    server = EmbeddedBroker(free_port(), log_path=tmp_path / "broker.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each database test runs on SQLite, and on PostgreSQL when it answers on 127.0.0.1:5432."""
    if request.param == "postgresql":
        require_postgres()
    return str(request.param)


def require_postgres() -> None:
    """Skip a PostgreSQL test when the server does not answer; under CI (CI=true), fail it."""
    if postgres_available():
        return
    message = f"PostgreSQL is not reachable on 127.0.0.1:{postgres_port()}"
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(message + " (CI=true: PostgreSQL tests must run)")
    pytest.skip(message)


@pytest.fixture
async def postgres_databases(tmp_path: Path) -> AsyncIterator[ThrowawayDatabases]:
    """Throwaway PostgreSQL databases, for tests of what only PostgreSQL does."""
    require_postgres()
    made = ThrowawayDatabases("postgresql", tmp_path)
    yield made
    await made.drop_all()


@pytest.fixture
async def databases(backend: str, tmp_path: Path) -> AsyncIterator[ThrowawayDatabases]:
    """Throwaway databases on the test's backend."""
    made = ThrowawayDatabases(backend, tmp_path)
    yield made
    await made.drop_all()


@pytest.fixture
async def stack(broker: EmbeddedBroker, databases: ThrowawayDatabases) -> AsyncIterator[Stack]:
    """Services on the shared broker, on SQLite and on PostgreSQL."""
    running = Stack(broker.bootstrap, databases)
    yield running
    await running.close()


@pytest.fixture
async def sqlite_stack(broker: EmbeddedBroker, tmp_path: Path) -> AsyncIterator[Stack]:
    """Services on the shared broker and SQLite only, for tests where the database does not matter."""
    running = Stack(broker.bootstrap, ThrowawayDatabases("sqlite", tmp_path))
    yield running
    await running.close()


@pytest.fixture
async def private_stack(
    private_broker: EmbeddedBroker, databases: ThrowawayDatabases
) -> AsyncIterator[Stack]:
    """Services on the test's own broker (which it may stop and restart), on both databases."""
    running = Stack(private_broker.bootstrap, databases)
    yield running
    await running.close()
