"""Reading rows the way every service does: one row or a 404 problem, one page and its total,
the sort and date window of a dated list."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Query
from sqlalchemy import Select, func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shared.dependencies import PageParams
from shared.errors import InvalidInput, NotFound, Problem, unknown_code
from shared.timestamps import PlantDateTime

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


@dataclass(frozen=True)
class DatedListParams:
    """How a list of dated records is sorted, and the window of dates it keeps."""

    sort: str
    start: datetime | None = None
    end: datetime | None = None

    def within(self, query: Select[Any], column: Any) -> Select[Any]:
        """The query keeping the rows whose date column is in the window."""
        if self.start is not None:
            query = query.where(column >= self.start)
        if self.end is not None:
            query = query.where(column < self.end)
        return query

    def order_by(self, columns: Mapping[str, Any]) -> list[Any]:
        """The ORDER BY terms of the sort asked for, from the list's sortable columns."""
        column = columns[self.sort.removeprefix("-")]
        return [column.desc() if self.sort.startswith("-") else column.asc()]


def dated_list_params(
    sortable: Sequence[str], default: str, dated: str
) -> Callable[..., DatedListParams]:
    """The query parameters of a dated list: `sort` (a field, `-field` for newest first) and
    `from`/`to`, a window on the `dated` field (a plain date is the start of that day)."""
    choices = [*sortable, *(f"-{name}" for name in sortable)]

    sort_param = Annotated[
        str,
        Query(
            description=f"Sort by {', '.join(sortable)}; a leading '-' sorts newest (or largest) "
            f"first, e.g. -{dated}. Default {default}.",
            json_schema_extra={"enum": choices},
        ),
    ]
    from_param = Annotated[
        PlantDateTime | None,
        Query(
            alias="from",
            description=f"Only records whose {dated} is at or after this (a date is the start "
            "of that day).",
        ),
    ]
    to_param = Annotated[
        PlantDateTime | None,
        Query(
            alias="to",
            description=f"Only records whose {dated} is before this (a date is the start of that "
            "day, so to=2026-12-04 keeps all of 3 December).",
        ),
    ]

    def params(
        sort: str = default, start: datetime | None = None, end: datetime | None = None
    ) -> DatedListParams:
        if sort not in choices:
            raise InvalidInput(
                f"Cannot sort by '{sort}'; use one of {', '.join(choices)}.", allowed=choices
            )
        if start is not None and end is not None and end <= start:
            raise InvalidInput("'to' must be after 'from'.")
        return DatedListParams(sort, start, end)

    # Set as objects: under postponed annotations FastAPI could not resolve these local names.
    params.__annotations__ = {
        "sort": sort_param,
        "start": from_param,
        "end": to_param,
        "return": DatedListParams,
    }
    return params


async def refuse_unknown_codes(
    session: AsyncSession,
    column: InstrumentedAttribute[str],
    codes: list[str],
    noun: str,
    key: str,
) -> None:
    """422 naming the codes no row has (listed under `key`), suggesting for each the stored
    code that differs only in case ("did you mean 'FRAME'?")."""
    known = set((await session.execute(select(column).where(column.in_(codes)))).scalars())
    unknown = sorted(set(codes) - known)
    if not unknown:
        return
    suggestions = {
        code: found
        for code in unknown
        if (found := await same_code_but_case(session, column, code)) is not None
    }
    if len(unknown) == 1:
        (code,) = unknown
        raise unknown_code(noun, code, suggestions.get(code), InvalidInput, **{key: unknown})
    hints = "".join(
        f"; did you mean '{found}' for '{code}'?" for code, found in suggestions.items()
    )
    raise InvalidInput(
        f"Unknown {noun}s: {', '.join(unknown)}{hints}", **{key: unknown}, suggestions=suggestions
    )
