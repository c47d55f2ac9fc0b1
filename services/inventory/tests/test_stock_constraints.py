"""Stock can never go negative in the database itself, whatever the code above it does."""

from __future__ import annotations

import pytest
from sqlalchemy import pool, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from shared.migrations import migrate
from shared.testing.databases import ThrowawayDatabases


@pytest.mark.parametrize("column", ["on_hand", "reserved", "on_hold"])
async def test_a_negative_stock_figure_is_refused_by_the_database_on_either_level_table(
    column: str, databases: ThrowawayDatabases
) -> None:
    url = await databases.url("inventory")
    await migrate("inventory", url)
    engine = create_async_engine(url, poolclass=pool.NullPool)
    figures = {"on_hand": 0, "reserved": 0, "on_hold": 0} | {column: -1}
    try:
        for statement in (
            "INSERT INTO sku_stock (sku, on_hand, reserved, on_hold, average_cost,"
            " below_reorder_point, updated_at)"
            " VALUES ('S', :on_hand, :reserved, :on_hold, 0, false, CURRENT_TIMESTAMP)",
            "INSERT INTO stock_levels (sku, warehouse, location, lot, on_hand, reserved, on_hold,"
            " first_received_at) VALUES ('S', 'MAIN', '', '', :on_hand, :reserved, :on_hold, CURRENT_TIMESTAMP)",
        ):
            with pytest.raises(IntegrityError, match="(?i)check"):
                async with engine.begin() as connection:
                    await connection.execute(text(statement), figures)
        async with engine.connect() as connection:
            for count in ("SELECT count(*) FROM sku_stock", "SELECT count(*) FROM stock_levels"):
                rows = await connection.execute(text(count))
                assert rows.scalar_one() == 0
    finally:
        await engine.dispose()
