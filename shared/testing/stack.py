"""Services running in-process against a real broker and real databases, for tests and benches."""

from __future__ import annotations

import asyncio
import importlib
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from fastapi import FastAPI

from shared.auth import ALL_SCOPES, mint_token
from shared.peers import connect_in_process
from shared.settings import Settings
from shared.testing.databases import ThrowawayDatabases

TEST_JWT_SECRET = "plantline-test-secret-of-at-least-32-bytes"


class ServiceClient(httpx.AsyncClient):
    """An HTTP client bound to one running service, with an all-scopes token by default."""

    def __init__(self, app: FastAPI, name: str, token: str) -> None:
        super().__init__(
            transport=httpx.ASGITransport(app=app),
            base_url=f"http://{name}.test",
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        self.app = app
        self.name = name

    @property
    def settings(self) -> Settings:
        """The service's settings."""
        return self.app.state.settings  # type: ignore[no-any-return]


class Stack:
    """Starts services that share a broker and a topic prefix, each with its own database."""

    def __init__(self, bootstrap: str, databases: ThrowawayDatabases, **overrides: Any) -> None:
        self.bootstrap = bootstrap
        self.databases = databases
        self.topic_prefix = "t" + secrets.token_hex(5)
        self.overrides = overrides
        self.services: dict[str, ServiceClient] = {}
        self.database_urls: dict[str, str] = {}
        self._lifespans: dict[str, Any] = {}

    def settings_for(self, name: str, **overrides: Any) -> Settings:
        """Settings a service of this stack runs with."""
        values: dict[str, Any] = {
            "service": name,
            "database_url": self.database_urls[name],
            "kafka_bootstrap": self.bootstrap,
            "topic_prefix": self.topic_prefix,
            "jwt_secret": TEST_JWT_SECRET,
            "dev_mode": True,
            "relay_poll_seconds": 0.5,
            "consumer_retry_backoff_seconds": 0.05,
            "consumer_session_timeout_ms": 2500,
            "log_json": False,
            "tracing": False,
        }
        values.update(self.overrides)
        values.update(overrides)
        return Settings(**values)

    async def start(self, *names: str, **overrides: Any) -> list[ServiceClient]:
        """Migrate and start services; returns their clients in order."""
        clients = []
        for name in names:
            if name not in self.database_urls:
                self.database_urls[name] = await self.databases.migrated_url(name)
            clients.append(await self.run(name, **overrides))
        return clients

    async def run(self, name: str, **overrides: Any) -> ServiceClient:
        """Start (or start again) a service on its existing database."""
        module = importlib.import_module(f"services.{name}.app")
        app: FastAPI = module.create_app(self.settings_for(name, **overrides))
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        client = ServiceClient(app, name, self.token())
        self.services[name] = client
        self._lifespans[name] = lifespan
        connect_in_process({n: c.app for n, c in self.services.items()})
        return client

    async def stop(self, name: str) -> None:
        """Stop a service started by `run` or `start` (its database stays)."""
        client = self.services.pop(name)
        await self._lifespans.pop(name).__aexit__(None, None, None)
        await client.aclose()

    def token(self, scopes: str | list[str] = ALL_SCOPES, **kwargs: Any) -> str:
        """A token signed with the stack's secret."""
        return mint_token(TEST_JWT_SECRET, scopes, **kwargs)

    async def close(self) -> None:
        """Stop everything, the services together (each leaves its consumer group meanwhile)."""
        await asyncio.gather(*(self.stop(name) for name in reversed(list(self.services))))


async def eventually(
    probe: Callable[[], Awaitable[Any]], timeout: float = 15.0, interval: float = 0.05
) -> Any:
    """Poll until the probe returns something truthy; fail with its last value after the timeout."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = await probe()
        except AssertionError as exc:
            last = exc
        else:
            if last:
                return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s; last value: {last!r}")
