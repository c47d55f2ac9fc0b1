"""Reading rows the way every service does: one row or a 404 problem, one page and its total."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shared.dependencies import PageParams
from shared.errors import NotFound, Problem, unknown_code

RowT = TypeVar("RowT")


async def get_one(
    session: AsyncSession,
    model: type[RowT],
    key: Any,
    detail: str,
    *,
    for_update: bool = False,
    **context: Any,
) -> RowT:
    """The row with this primary key (locked for update if asked), or NotFound with the detail
    and context given."""
    row = await session.get(model, key, with_for_update=for_update)
    if row is None:
        raise NotFound(detail, **context)
    return row


async def fetch_page(
    session: AsyncSession, query: Select[Any], page: PageParams, *order_by: Any
) -> tuple[list[Any], int]:
    """One page of a query's rows in the given order, and how many rows match in all."""
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = await session.execute(query.order_by(*order_by).limit(page.limit).offset(page.offset))
    return list(rows.scalars()), int(total)


async def same_code_but_case(
    session: AsyncSession, column: InstrumentedAttribute[str], code: str, *where: Any
) -> str | None:
    """The stored code equal to this one but for case (the first in order if several), among
    the rows the conditions given select."""
    found = await session.execute(
        select(column).where(func.lower(column) == code.lower(), *where).order_by(column).limit(1)
    )
    return found.scalars().first()


async def unknown_code_problem(
    session: AsyncSession,
    column: InstrumentedAttribute[str],
    code: str,
    noun: str,
    problem: type[Problem] = NotFound,
    within: tuple[Any, ...] = (),
    /,
    **context: Any,
) -> Problem:
    """The problem of an unknown code, suggesting the stored one that differs only in case
    (among the rows the conditions `within` select)."""
    suggestion = await same_code_but_case(session, column, code, *within)
    return unknown_code(noun, code, suggestion, problem, **context)


async def get_by_code(
    session: AsyncSession,
    model: type[RowT],
    code: str,
    noun: str,
    /,
    *,
    for_update: bool = False,
    **context: Any,
) -> RowT:
    """The row whose single-column primary key is this code, or NotFound suggesting the code
    that differs only in case ("Unknown sku 'frame'; did you mean 'FRAME'?")."""
    row = await session.get(model, code, with_for_update=for_update)
    if row is None:
        (key,) = inspect(model).primary_key
        column: InstrumentedAttribute[str] = getattr(model, key.key)
        raise await unknown_code_problem(session, column, code, noun, **context)
    return row
