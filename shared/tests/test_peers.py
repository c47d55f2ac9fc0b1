"""Calls to another service: one kept client whose connections are reused, a fresh token each call."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Request

from shared.auth import TokenVerifier
from shared.embedded_broker import free_port
from shared.peers import PeerServices
from shared.settings import Settings

SECRET = "peers-test-secret-of-at-least-32-bytes!"


@pytest.fixture
async def other_service(monkeypatch: pytest.MonkeyPatch) -> Any:
    """A real HTTP server standing in for another service; it notes each call's connection."""
    seen: list[tuple[int, str]] = []
    app = FastAPI()

    @app.get("/whoami")
    async def whoami(request: Request) -> dict[str, str]:
        assert request.client is not None
        principal = TokenVerifier(Settings(jwt_secret=SECRET)).verify(
            request.headers["authorization"].removeprefix("Bearer ")
        )
        seen.append((request.client.port, principal.subject))
        return {"subject": principal.subject}

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_config=None, access_log=False))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    monkeypatch.setenv("PLANTLINE_INVENTORY_URL", f"http://127.0.0.1:{port}")
    yield seen
    server.should_exit = True
    await serving


async def test_calls_reuse_one_connection_and_each_carries_a_valid_token(
    other_service: list[tuple[int, str]],
) -> None:
    peers = PeerServices(Settings(service="logistics", jwt_secret=SECRET))
    for _ in range(5):
        async with peers.client("inventory", "inventory:write") as client:
            response = await client.get("/whoami")
            assert response.json() == {"subject": "service:logistics"}
    await peers.aclose()
    assert len(other_service) == 5
    assert len({port for port, _ in other_service}) == 1


async def test_a_closed_peer_set_opens_a_new_client_when_called_again(
    other_service: list[tuple[int, str]],
) -> None:
    peers = PeerServices(Settings(service="logistics", jwt_secret=SECRET))
    async with peers.client("inventory", "inventory:write") as client:
        assert (await client.get("/whoami")).status_code == 200
    await peers.aclose()
    async with peers.client("inventory", "inventory:write") as client:
        assert (await client.get("/whoami")).status_code == 200
    await peers.aclose()
    assert len({port for port, _ in other_service}) == 2
