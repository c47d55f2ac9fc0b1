"""Pruning the mechanics' tables: published outbox rows, inbox rows, idempotency keys.

Without it they grow by a row per event and per keyed request, forever. A row is kept for the
retention period (`retention_days`): an inbox row as long as its event may be delivered again
(a redelivery, a dead-letter replay), an idempotency key as long as a client may retry.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from shared.cancellation import end_if_cancelled
from shared.db import Database, utcnow
from shared.settings import Settings
from shared.tables import MechanicsTables

log = logging.getLogger("plantline.retention")

BATCH_ROWS = 5000


@dataclass(frozen=True)
class Pruned:
    """How many rows one pruning removed from each table."""

    outbox: int
    inbox: int
    idempotency_keys: int


async def prune_mechanics(database: Database, tables: MechanicsTables, keep: timedelta) -> Pruned:
    """Delete the rows older than `keep`: outbox rows published before, inbox rows applied
    before, idempotency keys taken before. Unpublished outbox rows are never deleted."""
    cutoff = utcnow() - keep
    outbox, inbox, keys = tables.outbox, tables.inbox, tables.idempotency_keys
    pruned_outbox = pruned_inbox = pruned_keys = 0
    # In batches, each its own short transaction, so writers never wait long behind a pruning.
    while True:
        async with database.transaction() as session:
            old = (
                select(outbox.c.id)
                .where(outbox.c.published_at < cutoff)
                .order_by(outbox.c.id)
                .limit(BATCH_ROWS)
            )
            result = await session.execute(
                delete(outbox).where(outbox.c.id.in_(old.scalar_subquery()))
            )
        count = int(getattr(result, "rowcount", 0) or 0)
        pruned_outbox += count
        if count < BATCH_ROWS:
            break
    while True:
        async with database.transaction() as session:
            old = select(inbox.c.event_id).where(inbox.c.applied_at < cutoff).limit(BATCH_ROWS)
            result = await session.execute(
                delete(inbox).where(inbox.c.event_id.in_(old.scalar_subquery()))
            )
        count = int(getattr(result, "rowcount", 0) or 0)
        pruned_inbox += count
        if count < BATCH_ROWS:
            break
    async with database.transaction() as session:
        result = await session.execute(delete(keys).where(keys.c.created_at < cutoff))
    pruned_keys = int(getattr(result, "rowcount", 0) or 0)
    return Pruned(outbox=pruned_outbox, inbox=pruned_inbox, idempotency_keys=pruned_keys)


async def prune_periodically(
    settings: Settings, database: Database, tables: MechanicsTables
) -> None:
    """Prune every `retention_check_seconds` until cancelled; a failed pruning is tried again."""
    keep = timedelta(days=settings.retention_days)
    while True:
        end_if_cancelled()
        try:
            pruned = await prune_mechanics(database, tables, keep)
            if pruned.outbox or pruned.inbox or pruned.idempotency_keys:
                log.info(
                    "pruned rows older than %s days: %d outbox, %d inbox, %d idempotency keys",
                    settings.retention_days,
                    pruned.outbox,
                    pruned.inbox,
                    pruned.idempotency_keys,
                )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("pruning the mechanics' tables failed (%s); trying again later", exc)
        await asyncio.sleep(settings.retention_check_seconds)
