"""Fixtures for the shared mechanics' tests."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from shared.db import Database
from shared.settings import Settings
from shared.testing.databases import ThrowawayDatabases
from shared.tests.probe import make_database


@pytest.fixture
async def probe_database(databases: ThrowawayDatabases) -> AsyncIterator[Database]:
    """A probe-schema database on the test's backend."""
    database = await make_database(await databases.url("probe"))
    yield database
    await database.dispose()


@pytest.fixture
def settings_for() -> Callable[..., Settings]:
    """Settings on a topic prefix of the test's own."""
    prefix = "s" + secrets.token_hex(5)

    def make(service: str, bootstrap: str, **overrides: object) -> Settings:
        values: dict[str, Any] = {
            "relay_poll_seconds": 0.2,
            "relay_max_backoff_seconds": 0.5,
            "consumer_retry_backoff_seconds": 0.01,
            "consumer_session_timeout_ms": 2500,
        }
        values.update(overrides)
        return Settings(service=service, kafka_bootstrap=bootstrap, topic_prefix=prefix, **values)

    return make
