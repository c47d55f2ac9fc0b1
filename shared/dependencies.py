"""FastAPI dependencies declared once and reused with Annotated."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import Database
from shared.idempotency import CLAIM_STATE_KEY, mark_committed
from shared.numbers import MAX_INT
from shared.settings import Settings


def get_database(request: Request) -> Database:
    """The service's database."""
    return request.app.state.database  # type: ignore[no-any-return]


def get_settings(request: Request) -> Settings:
    """The service's settings."""
    return request.app.state.settings  # type: ignore[no-any-return]


class Transactions:
    """Short transactions of one request, for a route that calls another service in between.

    A request's session (`SessionDep`) keeps its transaction open until the response and, on
    SQLite, the service's single write turn with it: across another service's round trip that
    stalls every other writer of the service. Such a route reads in one transaction, calls the
    other service with none open, then writes its effect in another, re-checking what it read.
    """

    def __init__(self, request: Request) -> None:
        self.request = request
        self.database: Database = request.app.state.database

    def read(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A read-only transaction to read what the route decides on, beside the writers."""
        return self.database.snapshot()

    def write(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A transaction for a step that a retry of the request resumes from."""
        return self.database.transaction()

    @asynccontextmanager
    async def effect(self) -> AsyncIterator[AsyncSession]:
        """The transaction of the request's effect: its Idempotency-Key is marked committed in it,
        so a retry after a crash runs again unless this transaction committed."""
        async with self.database.transaction() as session:
            yield session
            claim = getattr(self.request.state, CLAIM_STATE_KEY, None)
            if claim is not None:
                await mark_committed(session, self.request.app.state.tables, claim)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session in one transaction, committed before the response is sent."""
    async with Transactions(request).effect() as session:
        yield session


async def get_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A read-only session for a GET: the last committed state, read beside the writers.

    On SQLite it neither waits for nor holds the service's single write turn, so reads stay
    quick while writes queue; it cannot write (see `Database.snapshot`).
    """
    async with get_database(request).snapshot() as session:
        yield session


DatabaseDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session, scope="function")]
TransactionsDep = Annotated[Transactions, Depends(Transactions)]


class PageParams(BaseModel):
    """Limit/offset paging of a list."""

    limit: int = Field(50, ge=1, le=500, description="How many items at most.")
    offset: int = Field(0, ge=0, le=MAX_INT, description="How many items to skip.")


def page_params(
    limit: Annotated[int, Query(ge=1, le=500, description="How many items at most.")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_INT, description="How many items to skip.")] = 0,
) -> PageParams:
    """Paging parameters from the query string."""
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    """A page of a list, with what is needed to fetch the next one."""

    items: list[ItemT]
    total: int = Field(description="How many items match the filters in all.")
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="Offset of the next page; null at the end.")

    @classmethod
    def of(cls, items: list[ItemT], total: int, page: PageParams) -> Page[ItemT]:
        """Build a page from a slice and the total."""
        following = page.offset + len(items)
        return cls(
            items=items,
            total=total,
            limit=page.limit,
            offset=page.offset,
            next_offset=following if following < total else None,
        )
