"""After a crash, a keyed request that never committed may run again; one that did, never."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from shared.db import utcnow
from shared.testing.stack import ServiceClient, Stack

ITEM = {"sku": "CRASH-1", "name": "Crash", "kind": "raw"}


async def _leave_claim(client: ServiceClient, key: str, state: str) -> None:
    """A claim as a process killed mid-request leaves it, older than the takeover delay."""
    first = await client.post("/api/v1/items", json=ITEM, headers={"Idempotency-Key": "probe"})
    table = client.app.state.tables.idempotency_keys
    async with client.app.state.database.transaction() as session:
        row = (await session.execute(select(table).where(table.c.key == "probe"))).mappings().one()
        await session.execute(
            insert(table).values(
                scope=row["scope"],
                key=key,
                request_hash=row["request_hash"],
                state=state,
                created_at=utcnow() - timedelta(minutes=5),
            )
        )
    assert first.status_code == 201


async def test_a_claim_whose_effect_never_committed_is_run_again(sqlite_stack: Stack) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    await _leave_claim(inventory, "died-before-commit", "pending")
    retried = await inventory.post(
        "/api/v1/items", json=ITEM, headers={"Idempotency-Key": "died-before-commit"}
    )
    # It ran: the item the probe made exists, so this run is refused on its merits.
    assert retried.status_code == 409
    assert retried.json()["type"] == "urn:plantline:problem:already-exists"


async def test_a_claim_whose_effect_committed_is_never_run_again(sqlite_stack: Stack) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    await _leave_claim(inventory, "died-after-commit", "committed")
    retried = await inventory.post(
        "/api/v1/items", json=ITEM, headers={"Idempotency-Key": "died-after-commit"}
    )
    assert retried.status_code == 409
    assert retried.json()["type"] == "urn:plantline:problem:idempotency-key-response-lost"


async def test_a_keyed_write_marks_its_claim_in_its_own_transaction(sqlite_stack: Stack) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    table = inventory.app.state.tables.idempotency_keys
    created = await inventory.post("/api/v1/items", json=ITEM, headers={"Idempotency-Key": "ok"})
    assert created.status_code == 201
    refused = await inventory.post(
        "/api/v1/items", json={**ITEM, "kind": "bogus"}, headers={"Idempotency-Key": "bad"}
    )
    assert refused.status_code == 422
    async with inventory.app.state.database.transaction() as session:
        states = dict((await session.execute(select(table.c.key, table.c.state))).all())
    assert states == {"ok": "done", "bad": "done"}
