"""Insert-if-absent on SQLite and PostgreSQL, for rows that racing writers may both create."""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

RowT = TypeVar("RowT")


def dialect_insert(dialect: str) -> Any:
    """The INSERT construct with ON CONFLICT clauses for the dialect (PostgreSQL or SQLite)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


async def insert_if_absent(session: AsyncSession, table: Table, values: dict[str, Any]) -> bool:
    """Insert a row unless one with the same key exists; True if this call inserted it."""
    insert_fn = dialect_insert(session.get_bind().dialect.name)
    result = await session.execute(insert_fn(table).values(**values).on_conflict_do_nothing())
    return bool(getattr(result, "rowcount", 0))


async def lock_row(session: AsyncSession, model: type[RowT], values: dict[str, Any]) -> RowT:
    """The row with the values' primary key, inserted with the values if absent, locked for the
    rest of the transaction, as it is now (in one statement).

    An insert whose key exists updates the key to itself: PostgreSQL then holds the row's lock
    as an update does (waiting for a writer that has it), SQLite holds its write lock anyway.
    """
    names = tuple(sorted(values))
    statement = _lock_statement(model, session.get_bind().dialect.name, names)  # type: ignore[arg-type]
    rows = await session.execute(statement, values, execution_options={"populate_existing": True})
    return rows.scalar_one()  # type: ignore[no-any-return]


@cache
def _lock_statement(model: type[Any], dialect: str, names: tuple[str, ...]) -> Any:
    # Built once per table and dialect and run with new values: building it costs more than
    # running it.
    inserting = dialect_insert(dialect)(model).values({name: bindparam(name) for name in names})
    keys = [column.name for column in model.__table__.primary_key]
    return inserting.on_conflict_do_update(
        index_elements=keys, set_={key: inserting.excluded[key] for key in keys}
    ).returning(model)
