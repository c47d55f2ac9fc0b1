"""Pruning: outbox, inbox and idempotency rows go after the retention period, and no sooner."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import insert, select, update

from shared.db import Database, utcnow
from shared.retention import prune_mechanics
from shared.testing.stack import Stack, eventually
from shared.tests.probe import outbox, record_things, tables


async def test_rows_older_than_the_retention_are_pruned_and_unpublished_events_never_are(
    probe_database: Database,
) -> None:
    mechanics = tables()
    await record_things(probe_database, [("old", 1), ("old", 2), ("new", 3), ("waiting", 4)])
    long_ago, recently = utcnow() - timedelta(days=8), utcnow() - timedelta(days=1)
    async with probe_database.transaction() as session:
        table = outbox.table
        await session.execute(
            update(table)
            .where(table.c.key == "old")
            .values(published_at=long_ago, created_at=long_ago)
        )
        await session.execute(
            update(table).where(table.c.key == "new").values(published_at=recently)
        )
        # Never published, however old: the relay has yet to send it.
        await session.execute(
            update(table).where(table.c.key == "waiting").values(created_at=long_ago)
        )
        for event_id, applied_at in (("e-old", long_ago), ("e-new", recently)):
            await session.execute(
                insert(mechanics.inbox).values(
                    event_id=event_id, event_type="t", source="s", applied_at=applied_at
                )
            )
        for key, created_at in (("k-old", long_ago), ("k-new", recently)):
            await session.execute(
                insert(mechanics.idempotency_keys).values(
                    scope="POST /x",
                    key=key,
                    request_hash="h",
                    state="committed",
                    created_at=created_at,
                )
            )
    pruned = await prune_mechanics(probe_database, mechanics, timedelta(days=7))
    assert (pruned.outbox, pruned.inbox, pruned.idempotency_keys) == (2, 1, 1)
    async with probe_database.snapshot() as session:
        keys = (
            await session.execute(select(outbox.table.c.key).order_by(outbox.table.c.id))
        ).scalars()
        assert list(keys) == ["new", "waiting"]
        inbox = (await session.execute(select(mechanics.inbox.c.event_id))).scalars()
        assert list(inbox) == ["e-new"]
        idempotency = (await session.execute(select(mechanics.idempotency_keys.c.key))).scalars()
        assert list(idempotency) == ["k-new"]
    again = await prune_mechanics(probe_database, mechanics, timedelta(days=7))
    assert (again.outbox, again.inbox, again.idempotency_keys) == (0, 0, 0)


async def test_a_running_service_prunes_its_published_events_periodically(
    sqlite_stack: Stack,
) -> None:
    # Retention of about a second, checked every half second.
    (inventory,) = await sqlite_stack.start(
        "inventory", retention_days=1.5 / 86400, retention_check_seconds=0.5
    )
    body = {"sku": "KEPT-BRIEFLY", "name": "Part", "kind": "raw", "standard_cost": "1"}
    assert (await inventory.post("/api/v1/items", json=body)).status_code == 201
    database, table = inventory.app.state.database, inventory.app.state.tables.outbox

    async def outbox_rows() -> int:
        async with database.snapshot() as session:
            return len((await session.execute(select(table.c.id))).all())

    assert await outbox_rows() >= 1
    await eventually(lambda: _none(outbox_rows), timeout=30)


async def _none(count: Callable[[], Awaitable[int]]) -> bool:
    return await count() == 0
