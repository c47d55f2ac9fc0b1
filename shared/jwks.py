"""RS256 public keys from a JWKS URL, fetched asynchronously and cached by key id."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
import jwt

from shared.errors import ServiceUnavailable, Unauthorized

log = logging.getLogger("plantline.jwks")

# An unknown key id fetches the set again, but no more often than this: a flood of tokens with
# made-up key ids must not become a flood of requests to the key server.
REFETCH_SECONDS = 30.0
# Known keys are fetched again after this long, so a key removed from the set stops working.
CACHE_SECONDS = 300.0
FETCH_TIMEOUT_SECONDS = 5.0


class JwksKeys:
    """The keys published at a JWKS URL; fetching never blocks the event loop."""

    def __init__(
        self,
        url: str,
        refetch_seconds: float = REFETCH_SECONDS,
        cache_seconds: float = CACHE_SECONDS,
        timeout_seconds: float = FETCH_TIMEOUT_SECONDS,
    ) -> None:
        self.url = url
        self.refetch_seconds = refetch_seconds
        self.cache_seconds = cache_seconds
        self.timeout_seconds = timeout_seconds
        self.fetches = 0
        self._keys: dict[str | None, Any] = {}
        self._fetched_at: float | None = None
        self._fetch_failed = False
        self._lock = asyncio.Lock()
        # Made here, when the app is built: making a client (its TLS context) takes long
        # enough to stall the event loop if done while requests wait.
        self._client = httpx.AsyncClient(timeout=timeout_seconds)

    async def aclose(self) -> None:
        """Close the client's connections."""
        await self._client.aclose()

    def cached(self, kid: str | None) -> Any:
        """The cached key with this id, or Unauthorized (no fetch)."""
        key = self._keys.get(kid)
        if key is None:
            raise Unauthorized("The token is signed with an unknown key.")
        return key

    async def key(self, kid: str | None) -> Any:
        """The key with this id, fetching the set when the id is unknown or the cache is old."""
        if kid in self._keys and not self._expired():
            return self._keys[kid]
        async with self._lock:
            # Another request may have fetched while this one waited for the lock.
            if (kid not in self._keys or self._expired()) and self._may_fetch():
                await self._fetch()
        if kid not in self._keys and self._fetch_failed:
            raise ServiceUnavailable("The keys that verify tokens cannot be fetched; retry later.")
        return self.cached(kid)

    def _expired(self) -> bool:
        return self._fetched_at is None or time.monotonic() - self._fetched_at > self.cache_seconds

    def _may_fetch(self) -> bool:
        return (
            self._fetched_at is None or time.monotonic() - self._fetched_at >= self.refetch_seconds
        )

    async def _fetch(self) -> None:
        self._fetched_at = time.monotonic()
        self.fetches += 1
        try:
            response = await self._client.get(self.url)
            response.raise_for_status()
            keys = jwt.PyJWKSet.from_dict(response.json()).keys
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
            # Keys fetched before stay in use: the key server being down is no reason to refuse
            # tokens it signed.
            self._fetch_failed = True
            log.warning("could not fetch the JWKS from %s: %r", self.url, exc)
            return
        self._fetch_failed = False
        found: dict[str | None, Any] = {k.key_id: k.key for k in keys if k.key_id}
        if len(keys) == 1:
            # A set of one key also verifies tokens that name no key id.
            found[None] = keys[0].key
        self._keys = found
