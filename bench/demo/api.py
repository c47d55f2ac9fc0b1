"""Calls to the four services for the demo: clear failures, waits for what events bring."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx


class DemoError(RuntimeError):
    """A call answered something the demo did not expect."""


class Plant:
    """One HTTP client per service; every call checks its status code."""

    def __init__(self, clients: Mapping[str, httpx.AsyncClient]) -> None:
        self.clients = clients

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        body: Any = None,
        expect: tuple[int, ...] = (200, 201),
        **params: Any,
    ) -> Any:
        """Send one request; the JSON answer, or DemoError with the problem it returned."""
        response = await self.clients[service].request(
            method, path, json=body, params={k: v for k, v in params.items() if v is not None}
        )
        if response.status_code not in expect:
            raise DemoError(f"{method} {service}{path}: {response.status_code} {response.text}")
        if not response.content:
            return None
        if response.headers.get("content-type", "").startswith("image/svg"):
            return response.text
        return response.json()

    async def post(self, service: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        """POST and return the answer."""
        return await self.call(service, "POST", path, body, **kwargs)

    async def get(self, service: str, path: str, **kwargs: Any) -> Any:
        """GET and return the answer."""
        return await self.call(service, "GET", path, **kwargs)

    async def text(self, service: str, path: str) -> str:
        """GET a document that is not JSON."""
        response = await self.clients[service].get(path)
        if response.status_code != 200:
            raise DemoError(f"GET {service}{path}: {response.status_code} {response.text}")
        return response.text


async def until(what: str, probe: Callable[[], Awaitable[Any]], timeout: float = 60.0) -> Any:
    """Poll a probe until it returns something truthy; DemoError naming `what` after the timeout."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = await probe()
        except DemoError as error:
            last = error
        if last and not isinstance(last, DemoError):
            return last
        await asyncio.sleep(0.2)
    raise DemoError(f"waited {timeout:.0f} s for {what}; last answer: {last}")
