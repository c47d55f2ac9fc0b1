"""Read-only views of other services' aggregates, kept from their events."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase


async def apply_if_newer(
    session: AsyncSession,
    model: type[DeclarativeBase],
    key: Any,
    sequence: int,
    values: dict[str, Any],
) -> bool:
    """Upsert a view row unless it already reflects a later event of the aggregate.

    The row's `source_sequence` column holds the sequence of the event it last applied, so an
    event that arrives late (after a newer one) changes nothing. Returns True if applied.
    """
    row = await session.get(model, key, with_for_update=True)
    if row is None:
        row = model(**values, source_sequence=sequence)
        session.add(row)
        await session.flush()
        return True
    if row.source_sequence >= sequence:  # type: ignore[attr-defined]
        return False
    for field, value in values.items():
        setattr(row, field, value)
    row.source_sequence = sequence  # type: ignore[attr-defined]
    await session.flush()
    return True
