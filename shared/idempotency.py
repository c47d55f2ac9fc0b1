"""Idempotency-Key for HTTP writes: the same key and body replay the first response, once."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi import Depends
from fastapi.routing import APIRoute
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.auth import VERIFIED_STATE_KEY, TokenVerifier, bearer_token, current_principal
from shared.db import Database, utcnow
from shared.errors import Conflict, InvalidInput, Problem, problem_response
from shared.routing import dependency_calls, markers, matched_route
from shared.tables import MechanicsTables

HEADER = b"idempotency-key"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# A claim left by a crashed request may be taken over after this long (when its effect never
# committed; see `mark_committed`); a route that may run longer says so (`claim_outlasts`).
STALE_CLAIM = timedelta(seconds=60)
CLAIM_STATE_KEY = "idempotency_claim"
# Responses that depend on the caller's credentials or on transient trouble are not remembered.
NOT_REMEMBERED = {401, 403, 429}
MAX_KEY_LENGTH = 200

log = logging.getLogger("plantline.idempotency")


class KeyReused(InvalidInput):
    """The key was used before with another request."""

    slug, title = "idempotency-key-reused", "Idempotency-Key reused with another request"


class KeyInFlight(Conflict):
    """The first request with this key is still being processed."""

    slug, title = "idempotency-key-in-flight", "Request with this Idempotency-Key in progress"


class KeyResponseLost(Conflict):
    """The first request took effect but its response was never stored (the process died)."""

    slug, title = "idempotency-key-response-lost", "Request with this Idempotency-Key took effect"


async def mark_committed(session: AsyncSession, tables: MechanicsTables, claim: Any) -> None:
    """Record in the request's own transaction that its effect is committing.

    A claim that stays `pending` after a crash had no effect and may be retried; one marked
    `committed` had, and is never run again. A claim another request took over (this one ran
    past the claim's lifetime) is no longer this request's: its effect is refused, so the two
    never both apply.
    """
    request_scope, key, claimed_at = claim
    table = tables.idempotency_keys
    marked = await session.execute(
        update(table)
        .where(table.c.scope == request_scope, table.c.key == key, table.c.created_at == claimed_at)
        .values(state="committed")
    )
    if marked.rowcount == 0:  # type: ignore[attr-defined]
        raise KeyInFlight("A retry with this Idempotency-Key took this request over.")


def claim_outlasts(extra_seconds: Callable[[bytes], float]) -> Any:
    """A route dependency: this route's pending claims live `extra_seconds(body)` longer.

    For a route that may legitimately run longer than the claim's usual lifetime (a schedule's
    solve), so a retry does not take over a claim whose first request is still at work.
    """

    async def _claim_lifetime() -> None:
        return None

    _claim_lifetime.claim_extra_seconds = extra_seconds  # type: ignore[attr-defined]
    return Depends(_claim_lifetime)


def _claim_scope(method: str, path: str, caller: str) -> str:
    # The caller's digest keeps two callers apart however long the path is.
    return f"{method} {path}"[:230] + " " + hashlib.sha256(caller.encode()).hexdigest()


class IdempotencyMiddleware:
    """ASGI middleware that stores each keyed write's response in the service database."""

    def __init__(
        self,
        app: ASGIApp,
        database: Database,
        tables: MechanicsTables,
        stale_claim: timedelta = STALE_CLAIM,
    ) -> None:
        self.app = app
        self.database = database
        self.table = tables.idempotency_keys
        self.stale_claim = stale_claim

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        raw_key = headers.get(HEADER)
        if raw_key is None:
            await self.app(scope, receive, send)
            return
        key = raw_key.decode(errors="replace").strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            await self._reply(
                problem_response(InvalidInput("Idempotency-Key must be 1-200 characters.")),
                scope,
                receive,
                send,
            )
            return
        body: bytes | None
        body, more = await _read_body(receive)
        whole_body = body

        async def replay_receive() -> Message:
            nonlocal body
            if body is not None:
                chunk, body = body, None
                return {"type": "http.request", "body": chunk, "more_body": False}
            return await more()

        route = matched_route(scope)
        caller = await _verified_caller(scope, headers, route)
        if route is None or caller is None:
            # The route refuses this request (no route, no valid token, a missing scope) and
            # says why itself; nothing is claimed and nothing is replayed.
            await self.app(scope, replay_receive, send)
            return
        request_scope = _claim_scope(scope["method"], scope["path"], caller)
        digest = hashlib.sha256(
            scope["method"].encode() + b"\0" + scope["path"].encode() + b"\0" + _canonical(body)
        ).hexdigest()
        lifetime = self.stale_claim + timedelta(
            seconds=sum(extra(whole_body) for extra in markers(route, "claim_extra_seconds"))
        )
        try:
            claimed_at, replay = await self._claim(request_scope, key, digest, lifetime)
        except Problem as problem:
            await self._reply(problem_response(problem, scope["path"]), scope, receive, send)
            return
        if replay is not None:
            await _send_stored(replay, send)
            return

        captured: dict[str, Any] = {"status": 500, "headers": [], "body": bytearray()}

        async def capture_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = message.get("headers", [])
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        # The request's session marks the claim committed in the effect's own transaction.
        scope.setdefault("state", {})[CLAIM_STATE_KEY] = (request_scope, key, claimed_at)
        try:
            await self.app(scope, replay_receive, capture_send)
        except BaseException:
            await self._forget(request_scope, key)
            raise
        status = captured["status"]
        if status >= 500 or status in NOT_REMEMBERED:
            await self._forget(request_scope, key)
        else:
            await self._remember(
                request_scope, key, status, captured["headers"], bytes(captured["body"])
            )

    async def _claim(
        self, request_scope: str, key: str, digest: str, lifetime: timedelta
    ) -> tuple[datetime, dict[str, Any] | None]:
        """Claim the key (the claim's time, no stored response), or the response to replay."""
        now = utcnow()
        try:
            async with self.database.transaction() as session:
                await session.execute(
                    insert(self.table).values(
                        scope=request_scope,
                        key=key,
                        request_hash=digest,
                        state="pending",
                        created_at=now,
                    )
                )
            return now, None
        except IntegrityError:
            pass
        async with self.database.transaction() as session:
            row = (
                (
                    await session.execute(
                        select(self.table).where(
                            self.table.c.scope == request_scope, self.table.c.key == key
                        )
                    )
                )
                .mappings()
                .first()
            )
            if row is None:
                raise KeyInFlight("The first request with this key has just finished; retry.")
            if row["request_hash"] != digest:
                raise KeyReused("This Idempotency-Key was used with a different request body.")
            if row["state"] == "done":
                return row["created_at"], dict(row)
            stale = row["created_at"] < now - lifetime
            if row["state"] == "committed":
                if stale:
                    raise KeyResponseLost(
                        "The request with this Idempotency-Key took effect, but its response "
                        "was lost; read the resource rather than retrying."
                    )
                raise KeyInFlight("A request with this Idempotency-Key is still being processed.")
            if stale:
                # Only a claim still pending: one whose effect committed meanwhile is kept.
                taken = await session.execute(
                    update(self.table)
                    .where(
                        self.table.c.scope == request_scope,
                        self.table.c.key == key,
                        self.table.c.state == "pending",
                    )
                    .values(created_at=now)
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    return now, None
        raise KeyInFlight("A request with this Idempotency-Key is still being processed.")

    async def _remember(
        self,
        request_scope: str,
        key: str,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
    ) -> None:
        kept = {
            k.decode(): v.decode()
            for k, v in headers
            if k.lower() in (b"content-type", b"location", b"etag")
        }
        async with self.database.transaction() as session:
            await session.execute(
                update(self.table)
                .where(self.table.c.scope == request_scope, self.table.c.key == key)
                .values(
                    state="done",
                    status_code=status,
                    response_headers=kept,
                    response_body=base64.b64encode(body).decode(),
                )
            )

    async def _forget(self, request_scope: str, key: str) -> None:
        """Release a claim whose effect did not commit, so the request may be sent again.

        A claim marked committed is kept whatever went wrong after: a commit whose reply was
        lost (the connection dropped) did take effect, and a retry must not apply it twice.
        On PostgreSQL the delete waits for the effect's transaction if it is still finishing.
        """
        try:
            async with self.database.transaction() as session:
                await session.execute(
                    delete(self.table).where(
                        self.table.c.scope == request_scope,
                        self.table.c.key == key,
                        self.table.c.state == "pending",
                    )
                )
        except Exception:  # the claim then expires on its own
            log.exception("could not release idempotency claim")

    @staticmethod
    async def _reply(response: Any, scope: Scope, receive: Receive, send: Send) -> None:
        await response(scope, receive, send)


async def _verified_caller(
    scope: Scope, headers: dict[bytes, bytes], route: APIRoute | None
) -> str | None:
    """Whom the claim belongs to: the verified subject of the token, "anonymous" on a route that
    needs none, or None when the route will refuse the request (bad token, missing scope)."""
    if route is None:
        return None
    scopes = markers(route, "required_scope")
    if not scopes and all(call is not current_principal for call in dependency_calls(route)):
        return "anonymous"
    token = bearer_token(headers.get(b"authorization", b"").decode(errors="replace"))
    if token is None:
        return None
    verifier: TokenVerifier = scope["app"].state.token_verifier
    try:
        principal = await verifier.authenticate(token)
    except Problem:
        return None
    if not all(principal.allows(required) for required in scopes):
        return None
    scope.setdefault("state", {})[VERIFIED_STATE_KEY] = (token, principal)
    return principal.subject


def _canonical(body: bytes) -> bytes:
    # The same JSON with other spacing or key order is the same request.
    try:
        return json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        return body


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks), receive


async def _send_stored(row: dict[str, Any], send: Send) -> None:
    headers = [(k.encode(), v.encode()) for k, v in (row["response_headers"] or {}).items()]
    headers.append((b"idempotent-replayed", b"true"))
    body = base64.b64decode(row["response_body"] or "")
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": row["status_code"], "headers": headers})
    await send({"type": "http.response.body", "body": body})
