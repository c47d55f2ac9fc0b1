"""Insert-if-absent on SQLite and PostgreSQL, for rows that racing writers may both create."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


async def insert_if_absent(session: AsyncSession, table: Table, values: dict[str, Any]) -> bool:
    """Insert a row unless one with the same key exists; True if this call inserted it."""
    dialect = session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = await session.execute(insert_fn(table).values(**values).on_conflict_do_nothing())
    return bool(getattr(result, "rowcount", 0))
