"""SQLite for the async engine with one trip to the driver's thread per statement.

aiosqlite runs every call on a worker thread of its own, and SQLAlchemy's adapter makes a trip
there to open a cursor, another to execute, another to fetch the rows and another to close the
cursor. Each trip is a hand-off between threads and a wake-up of the event loop, which costs
more than SQLite takes to run a small statement. The cursor here does all four in one trip,
a transaction's BEGIN goes with its first statement, and a commit or rollback with nothing to
end costs none; everything else is SQLAlchemy's aiosqlite dialect as it is. Server-side
cursors (streamed results) keep the library's own.

It queues its calls with aiosqlite's `Connection._execute`, an internal of the pinned
aiosqlite: shared/tests/test_sqlite_driver.py fails if an upgrade changes it.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any

from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_connection
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

Outcome = tuple[Any, int, int | None, list[Any], bool]


BEGINS = frozenset({"BEGIN", "BEGIN IMMEDIATE", "BEGIN DEFERRED", "BEGIN EXCLUSIVE"})


def _run(
    connection: sqlite3.Connection, begin: str | None, operation: str, parameters: Any, many: bool
) -> Outcome:
    """On the driver's thread: begin if asked, execute, fetch every row, close; what the cursor
    reports and whether a transaction is open."""
    if begin is not None:
        connection.execute(begin)
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, cursor.rowcount, cursor.lastrowid, rows, connection.in_transaction
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor whose statement runs, is fetched and closed in one trip."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    _awaitable_cursor_close = False

    def __init__(self, adapt_connection: AsyncAdapt_dbapi_connection) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = deque()
        self._arraysize = 1
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        return None

    def close(self) -> None:
        self._rows.clear()

    async def _trip(self, operation: Any, parameters: Any, many: bool) -> None:
        adapted = self._adapt_connection
        assert isinstance(adapted, OneTripConnection)
        async with adapted._execute_mutex:
            if not many and operation in BEGINS and not parameters:
                # Sent with the transaction's first statement, in the same trip.
                adapted.begin = operation
                self._description, self._rowcount, self._lastrowid = None, -1, None
                self._rows = deque()
                return
            begin, adapted.begin = adapted.begin, None
            # Until the statement says otherwise (it may fail), a transaction may be open.
            adapted.in_transaction = True
            connection = self._connection
            outcome: Outcome = await connection._execute(
                _run, connection._conn, begin, operation, parameters, many
            )
        self._description, self._rowcount, self._lastrowid, rows, adapted.in_transaction = outcome
        self._rows = deque(rows)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._trip(operation, parameters, False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        await self._trip(operation, seq_of_parameters, True)

    def nextset(self) -> None:
        return None

    def setinputsizes(self, *inputsizes: Any) -> None:
        return None


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    """aiosqlite's connection as SQLAlchemy adapts it, with one-trip cursors.

    A BEGIN waits to go with the transaction's first statement, and the connection knows
    whether the last statement left a transaction open: a transaction that ran nothing, and
    the rollback the pool makes when a connection comes back after a commit, cost no trip.
    """

    __slots__ = ("begin", "in_transaction")

    _cursor_cls = OneTripCursor

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self.begin: str | None = None
        self.in_transaction = True

    def commit(self) -> None:
        self.begin = None
        if self.in_transaction:
            super().commit()
            self.in_transaction = False

    def rollback(self) -> None:
        self.begin = None
        if self.in_transaction:
            super().rollback()
            self.in_transaction = False


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module handed to the engine (`create_async_engine(url, module=...)`)."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        connection = self.aiosqlite.connect(*arg, **kw)
        connection._thread.daemon = True
        try:
            return OneTripConnection(self, await_(connection))
        except BaseException:
            # Failed or cancelled (a service stopping) while the thread was connecting: aiosqlite
            # has told its thread to stop. Wait for it, so that it does not finish its work after
            # the event loop that should hear of it is gone.
            connection._thread.join(timeout=5)
            raise


def one_trip_dbapi() -> OneTripDBAPI:
    """The DBAPI for an `sqlite+aiosqlite` engine whose statements take one trip each."""
    import aiosqlite

    return OneTripDBAPI(aiosqlite, sqlite3)
