"""Reading rows the way every service does: one row or a 404 problem, one page and its total."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.dependencies import PageParams
from shared.errors import NotFound

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
