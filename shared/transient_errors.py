"""Telling a passing failure (the database away, busy or in a deadlock) from a lasting one.

A passing failure goes away by itself: retrying the same work later succeeds. A consumer waits
and retries such a failure for as long as it lasts instead of dead-lettering the event.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import httpx
from sqlalchemy import exc as sa_exc

from shared.errors import ServiceUnavailable

# SQLSTATE codes (and classes, two characters) PostgreSQL reports for failures that pass.
_PASSING_SQLSTATE_CLASSES = ("08", "53")  # connection exception, insufficient resources
_PASSING_SQLSTATES = {
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
    "55P03",  # lock_not_available (lock_timeout)
    "57P01",  # admin_shutdown
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now (starting up, shutting down)
}
# Messages of failures whose code says too little by itself.
_PASSING_MESSAGES = (
    "database is locked",  # SQLite: another writer held the lock past the busy timeout
    "database table is locked",
    "database is busy",
    "unable to open database file",
    "disk i/o error",
    "is not currently accepting connections",  # PostgreSQL: ALLOW_CONNECTIONS false (55000)
    "the database system is starting up",
    "the database system is shutting down",
    "connection is closed",
    "connection was closed",
    "terminating connection",
)


def is_transient(error: BaseException) -> bool:
    """True if the failure should pass by itself: the database unreachable or restarting, the
    pool exhausted, a deadlock, a serialization failure, a lock wait that timed out, another
    service unavailable."""
    return any(_passes(cause) for cause in _causes(error))


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, what it wraps (SQLAlchemy's `orig`) and what caused it, each once."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        pending += [
            orig if isinstance(orig, BaseException) else None,
            current.__cause__,
            current.__context__,
        ]


def _passes(error: BaseException) -> bool:
    if isinstance(error, ServiceUnavailable | httpx.TransportError):
        return True  # another service, called over HTTP, is away for now
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, sa_exc.TimeoutError | sa_exc.DisconnectionError):
        return True  # the pool had no connection to give in time; the connection went away
    if isinstance(error, ConnectionError | TimeoutError):
        return True  # refused, reset, aborted; a connect or a statement that timed out
    if isinstance(error, OSError) and error.errno is not None:
        return True  # the socket failed (host unreachable, network down)
    sqlstate = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    if isinstance(sqlstate, str) and (
        sqlstate in _PASSING_SQLSTATES or sqlstate[:2] in _PASSING_SQLSTATE_CLASSES
    ):
        return True
    if isinstance(error, sqlite3.OperationalError | sa_exc.OperationalError) or (
        type(error).__module__.startswith("asyncpg")
    ):
        message = str(error).lower()
        return any(text in message for text in _PASSING_MESSAGES)
    return False
