"""Calling another service's HTTP API when an answer is needed now (e.g. issuing stock to ship)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Generator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from shared.auth import ALL_SCOPES, mint_token
from shared.settings import SERVICE_PORTS, Settings
from shared.tracing import Tracing

# A peer token is minted for each request: it need only outlive the request's retries.
PEER_TOKEN_SECONDS = 300


def peer_scopes(scopes: str) -> list[str]:
    """The scopes of a call to another service; ValueError for admin or an unknown scope."""
    wanted = scopes.split()
    refused = [scope for scope in wanted if scope == "admin" or scope not in ALL_SCOPES]
    if refused or not wanted:
        raise ValueError(f"A call to another service cannot carry the scopes {scopes!r}.")
    return wanted


class _ServiceToken(httpx.Auth):
    """Signs each request with a token of the calling service, minted when the request is sent."""

    def __init__(self, peers: PeerServices, scopes: str) -> None:
        self.peers = peers
        self.scopes = scopes

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.peers.token(self.scopes)}"
        yield request


class PeerServices:
    """HTTP clients for the other services, authenticated as this service.

    One client per service and scopes, kept for the life of the app, so calls reuse its pooled
    connections instead of opening one each; `aclose` closes them when the app stops.
    """

    def __init__(self, settings: Settings, tracing: Tracing | None = None) -> None:
        self.settings = settings
        self.tracing = tracing or Tracing.disabled()
        # Tests put in-process transports here so calls reach the other app without sockets.
        self.transports: dict[str, httpx.AsyncBaseTransport] = {}
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._clients: dict[
            tuple[str, str], tuple[httpx.AsyncBaseTransport | None, httpx.AsyncClient]
        ] = {}

    def base_url(self, service: str) -> str:
        """PLANTLINE_<SERVICE>_URL, or the service's default local address."""
        return os.environ.get(
            f"PLANTLINE_{service.upper()}_URL", f"http://127.0.0.1:{SERVICE_PORTS[service]}"
        )

    def token(self, scopes: str) -> str:
        """A short-lived token of this service carrying only the scopes of the call.

        RS256 with PLANTLINE_JWT_PRIVATE_KEY (and its `kid`) when configured, for services that
        verify through a JWKS; else HS256 with the shared secret. Never `admin`: a call to
        another service may do only what that call needs.
        """
        wanted = peer_scopes(scopes)
        subject, ttl = f"service:{self.settings.service}", PEER_TOKEN_SECONDS
        audience = self.settings.jwt_audience
        if self.settings.jwt_private_key:
            return mint_token(
                self.settings.jwt_private_key,
                wanted,
                subject,
                ttl,
                algorithm="RS256",
                key_id=self.settings.jwt_key_id,
                audience=audience,
            )
        return mint_token(self.settings.jwt_secret, wanted, subject, ttl, audience=audience)

    @asynccontextmanager
    async def client(self, service: str, scopes: str) -> AsyncIterator[httpx.AsyncClient]:
        """The service's client for one call sequence (`async with`), once a call slot is free.

        Its requests carry a token with `scopes` only (see `token`).

        Callers hold no transaction while they call, so nothing else bounds how many calls a
        burst of requests sends at once: unbounded, they pile up in the other service and time
        out there; bounded, they wait here and each call gets its whole timeout.
        """
        peer_scopes(scopes)
        slots = self._slots.get(service)
        if slots is None:
            slots = self._slots[service] = asyncio.Semaphore(self.settings.peer_calls_in_flight)
        async with slots:
            yield self._client(service, scopes)

    def _client(self, service: str, scopes: str) -> httpx.AsyncClient:
        transport = self.transports.get(service)
        kept = self._clients.get((service, scopes))
        if kept is not None and kept[0] is transport:
            return kept[1]
        # A first call, or the transport was replaced (an in-process service started again).
        client = httpx.AsyncClient(
            base_url=self.base_url(service),
            transport=transport,
            auth=_ServiceToken(self, scopes),
            timeout=10,
            limits=httpx.Limits(max_connections=self.settings.peer_calls_in_flight),
        )
        self.tracing.instrument_client(client)
        self._clients[(service, scopes)] = (transport, client)
        return client

    async def aclose(self) -> None:
        """Close every kept client and its connections."""
        clients = [client for _, client in self._clients.values()]
        self._clients.clear()
        for client in clients:
            await client.aclose()


def peers_of(app: FastAPI) -> PeerServices:
    """The app's peer clients."""
    peers: PeerServices | None = getattr(app.state, "peers", None)
    if peers is None:
        peers = PeerServices(app.state.settings, getattr(app.state, "tracing", None))
        app.state.peers = peers
    return peers


def connect_in_process(apps: dict[str, Any]) -> None:
    """Let in-process apps call each other through ASGI transports (tests and benches)."""
    for app in apps.values():
        peers = peers_of(app)
        for name, other in apps.items():
            peers.transports[name] = httpx.ASGITransport(app=other)
