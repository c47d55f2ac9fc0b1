"""Calling another service's HTTP API when an answer is needed now (e.g. issuing stock to ship)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from shared.auth import mint_token
from shared.settings import SERVICE_PORTS, Settings


class PeerServices:
    """HTTP clients for the other services, authenticated as this service."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # Tests put in-process transports here so calls reach the other app without sockets.
        self.transports: dict[str, httpx.AsyncBaseTransport] = {}
        self._slots: dict[str, asyncio.Semaphore] = {}

    def base_url(self, service: str) -> str:
        """PLANTLINE_<SERVICE>_URL, or the service's default local address."""
        return os.environ.get(
            f"PLANTLINE_{service.upper()}_URL", f"http://127.0.0.1:{SERVICE_PORTS[service]}"
        )

    def token(self, scopes: str) -> str:
        """PLANTLINE_SERVICE_TOKEN if configured, else a short-lived token signed with the shared secret."""
        configured = os.environ.get("PLANTLINE_SERVICE_TOKEN")
        if configured:
            return configured
        return mint_token(self.settings.jwt_secret, scopes, f"service:{self.settings.service}", 300)

    @asynccontextmanager
    async def client(self, service: str, scopes: str) -> AsyncIterator[httpx.AsyncClient]:
        """A client for one call sequence (`async with`), once a call slot to the service is free.

        Callers hold no transaction while they call, so nothing else bounds how many calls a
        burst of requests sends at once: unbounded, they pile up in the other service and time
        out there; bounded, they wait here and each call gets its whole timeout.
        """
        slots = self._slots.get(service)
        if slots is None:
            slots = self._slots[service] = asyncio.Semaphore(self.settings.peer_calls_in_flight)
        async with (
            slots,
            httpx.AsyncClient(
                base_url=self.base_url(service),
                transport=self.transports.get(service),
                headers={"Authorization": f"Bearer {self.token(scopes)}"},
                timeout=10,
            ) as client,
        ):
            yield client


def peers_of(app: FastAPI) -> PeerServices:
    """The app's peer clients."""
    peers: PeerServices | None = getattr(app.state, "peers", None)
    if peers is None:
        peers = PeerServices(app.state.settings)
        app.state.peers = peers
    return peers


def connect_in_process(apps: dict[str, Any]) -> None:
    """Let in-process apps call each other through ASGI transports (tests and benches)."""
    for app in apps.values():
        peers = peers_of(app)
        for name, other in apps.items():
            peers.transports[name] = httpx.ASGITransport(app=other)
