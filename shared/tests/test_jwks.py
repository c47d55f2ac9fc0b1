"""RS256 through a JWKS: peer calls signed with a private key, keys fetched without blocking."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth import mint_token
from shared.errors import Unauthorized
from shared.jwks import JwksKeys
from shared.peers import PeerServices
from shared.settings import Settings
from shared.testing.stack import Stack, eventually


def _private_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _public_jwk(private_pem: str, kid: str) -> dict[str, Any]:
    private = serialization.load_pem_private_key(private_pem.encode(), None)
    assert isinstance(private, rsa.RSAPrivateKey)
    public = private.public_key()
    jwk: dict[str, Any] = jwt.algorithms.RSAAlgorithm.to_jwk(public, as_dict=True)
    return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}


@dataclass
class KeyServer:
    """A JWKS on a local HTTP server of its own thread, optionally slow to answer."""

    url: str
    keys: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    # While `release` is set to an unset event, a key request waits for it (10 s at most),
    # and `holding` says one is waiting.
    release: threading.Event | None = None
    holding: bool = False


@pytest.fixture
def key_server() -> Iterator[KeyServer]:
    """Serves `keys` at /jwks.json."""
    holder: list[KeyServer] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server protocol
            served = holder[0]
            served.requests += 1
            if served.release is not None:
                served.holding = True
                served.release.wait(10)
                served.holding = False
            body = json.dumps({"keys": served.keys}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder.append(KeyServer(f"http://127.0.0.1:{server.server_address[1]}/jwks.json"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder[0]
    server.shutdown()
    server.server_close()


async def _inventory_behind_jwks(stack: Stack, key_server: KeyServer) -> httpx.AsyncClient:
    (inventory,) = await stack.start("inventory", jwt_jwks_url=key_server.url)
    return inventory


def _logistics_peers(inventory: httpx.AsyncClient, private_pem: str, kid: str) -> PeerServices:
    peers = PeerServices(Settings(service="logistics", jwt_private_key=private_pem, jwt_key_id=kid))
    peers.transports["inventory"] = httpx.ASGITransport(app=inventory.app)  # type: ignore[attr-defined]
    return peers


async def test_peer_calls_signed_rs256_with_a_key_id_are_verified_through_the_jwks(
    sqlite_stack: Stack, key_server: KeyServer
) -> None:
    logistics_key = _private_pem()
    key_server.keys = [_public_jwk(logistics_key, "logistics-1")]
    inventory = await _inventory_behind_jwks(sqlite_stack, key_server)
    peers = _logistics_peers(inventory, logistics_key, "logistics-1")
    token = peers.token("inventory:read")
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": "logistics-1", "typ": "JWT"}
    async with peers.client("inventory", "inventory:read") as client:
        assert (await client.get("/api/v1/items")).status_code == 200
        # Its scopes, no more: a write is refused.
        refused = await client.post("/api/v1/items", json={"sku": "X", "name": "X", "kind": "raw"})
        assert refused.status_code == 403
    await peers.aclose()

    impostor = _logistics_peers(inventory, _private_pem(), "logistics-1")
    hs256 = PeerServices(Settings(service="logistics", jwt_secret="s" * 40))
    hs256.transports["inventory"] = httpx.ASGITransport(app=inventory.app)  # type: ignore[attr-defined]
    for other in (impostor, hs256):
        async with other.client("inventory", "inventory:read") as client:
            assert (await client.get("/api/v1/items")).status_code == 401
        await other.aclose()
    assert key_server.requests == 1


async def test_other_requests_go_on_while_the_keys_are_fetched(
    sqlite_stack: Stack, key_server: KeyServer
) -> None:
    logistics_key = _private_pem()
    key_server.keys = [_public_jwk(logistics_key, "logistics-1")]
    key_server.release = threading.Event()
    inventory = await _inventory_behind_jwks(sqlite_stack, key_server)
    peers = _logistics_peers(inventory, logistics_key, "logistics-1")

    async def verified_call() -> int:
        async with peers.client("inventory", "inventory:read") as client:
            return (await client.get("/api/v1/items")).status_code

    async def fetch_held() -> bool:
        return key_server.holding

    waiting = asyncio.create_task(verified_call())
    await eventually(fetch_held)
    # The key server holds the fetch: a fetch that blocked the loop would hold this too.
    live = await inventory.get("/health/live", headers={"Authorization": ""})
    assert live.status_code == 200
    assert key_server.holding and not waiting.done()
    key_server.release.set()
    assert await waiting == 200
    await peers.aclose()


async def test_unknown_key_ids_fetch_the_keys_again_at_most_once_per_interval(
    key_server: KeyServer,
) -> None:
    first, second = _private_pem(), _private_pem()
    key_server.keys = [_public_jwk(first, "one")]
    keys = JwksKeys(key_server.url, refetch_seconds=0.5)
    assert await keys.key("one") is not None
    for kid in (f"made-up-{n}" for n in range(20)):
        with pytest.raises(Unauthorized):
            await keys.key(kid)
    assert key_server.requests == 1

    # A key added to the set (rotation) is found once the interval has passed.
    key_server.keys.append(_public_jwk(second, "two"))
    with pytest.raises(Unauthorized):
        await keys.key("two")
    await asyncio.sleep(0.6)
    assert await keys.key("two") is not None
    assert key_server.requests == 2
    token = mint_token(second, "inventory:read", algorithm="RS256", key_id="two")
    assert jwt.decode(token, await keys.key("two"), algorithms=["RS256"])["scope"] == (
        "inventory:read"
    )
    await keys.aclose()
