"""Calls to another service: one kept client whose connections are reused, a fresh token each call."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Request

from services.logistics.deliveries import stock
from shared.auth import TokenVerifier, mint_token
from shared.embedded_broker import free_port
from shared.peers import PeerServices, peer_scopes
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
        return {"subject": principal.subject, "scopes": " ".join(sorted(principal.scopes))}

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
            assert response.json()["subject"] == "service:logistics"
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


async def test_a_call_carries_only_the_scopes_it_needs_and_never_admin(
    other_service: list[tuple[int, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A static all-powerful token in the environment is not used for calls any more.
    monkeypatch.setenv("PLANTLINE_SERVICE_TOKEN", mint_token(SECRET, "admin", "service:any"))
    peers = PeerServices(Settings(service="logistics", jwt_secret=SECRET))
    async with peers.client("inventory", "inventory:read") as client:
        assert (await client.get("/whoami")).json() == {
            "subject": "service:logistics",
            "scopes": "inventory:read",
        }
    for asked in ("admin", "inventory:write admin", "inventory:everything", ""):
        with pytest.raises(ValueError, match="cannot carry"):
            async with peers.client("inventory", asked):
                pass
    await peers.aclose()


def test_logistics_asks_inventory_for_inventory_scopes_only() -> None:
    assert peer_scopes(stock.SCOPES) == ["inventory:write"]
