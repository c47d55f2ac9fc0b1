"""After a crash, a keyed request that never committed may run again; one that did, never."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.orm import ORMExecuteState, Session

from shared.db import utcnow
from shared.embedded_broker import EmbeddedBroker
from shared.idempotency import KeyInFlight, mark_committed
from shared.migrations import migrate
from shared.testing.commit_reply_loss import CommitReplyLoss
from shared.testing.databases import ThrowawayDatabases, postgres_available
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


RECEIPT = {"kind": "receipt", "sku": "CRASH-1", "quantity": "5", "unit_cost": "2"}


async def _on_hand(client: ServiceClient) -> str:
    response = await client.get("/api/v1/stock/CRASH-1")
    assert response.status_code == 200, response.text
    return str(response.json()["on_hand"])


async def test_a_retry_after_a_lost_commit_reply_never_books_the_movement_twice(
    broker: EmbeddedBroker, tmp_path: Path
) -> None:
    if not postgres_available():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    databases = ThrowawayDatabases("postgresql", tmp_path)
    proxy = CommitReplyLoss()
    port = await proxy.start()
    stack = Stack(broker.bootstrap, databases)
    try:
        url = await databases.url("inventory")
        await migrate("inventory", url)
        stack.database_urls["inventory"] = url
        # In the clear and without a statement cache, so the proxy sees each statement's text.
        proxied = (
            url.replace(":5432/", f":{port}/") + "?ssl=disable&prepared_statement_cache_size=0"
        )
        inventory = await stack.run(
            "inventory", database_url=proxied, idempotency_stale_claim_seconds=1
        )
        assert (await inventory.post("/api/v1/items", json=ITEM)).status_code == 201
        key = {"Idempotency-Key": "lost-commit-reply"}

        proxy.arm(b"UPDATE idempotency_keys SET state")
        try:
            first: int | None = (
                await inventory.post("/api/v1/movements", json=RECEIPT, headers=key)
            ).status_code
        except Exception:  # the app's error escaping: the client sees no answer at all
            first = None
        assert proxy.cut.is_set(), "the COMMIT reply was not lost"
        assert first is None or first >= 500

        retried = await inventory.post("/api/v1/movements", json=RECEIPT, headers=key)
        # A conflict: in flight until the claim's lifetime passed, then taken effect.
        assert retried.status_code == 409
        assert retried.json()["type"].rsplit(":", 1)[1] in {
            "idempotency-key-in-flight",
            "idempotency-key-response-lost",
        }
        await asyncio.sleep(1.2)
        later = await inventory.post("/api/v1/movements", json=RECEIPT, headers=key)
        assert later.status_code == 409
        assert later.json()["type"].endswith("idempotency-key-response-lost")
        assert Decimal(await _on_hand(inventory)) == Decimal("5")
    finally:
        await stack.close()
        await proxy.close()
        await databases.drop_all()


async def test_an_effect_whose_claim_a_retry_took_over_is_refused(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    table = inventory.app.state.tables.idempotency_keys
    claimed_at = utcnow() - timedelta(minutes=5)
    async with inventory.app.state.database.transaction() as session:
        await session.execute(
            insert(table).values(
                scope="POST /x someone",
                key="slow",
                request_hash="h",
                state="pending",
                created_at=utcnow(),  # a retry took the claim over after the first one's time
            )
        )
    with pytest.raises(KeyInFlight):
        async with inventory.app.state.database.transaction() as session:
            await mark_committed(
                session, inventory.app.state.tables, ("POST /x someone", "slow", claimed_at)
            )
    async with inventory.app.state.database.transaction() as session:
        state = (await session.execute(select(table.c.state).where(table.c.key == "slow"))).scalar()
    assert state == "pending"


async def test_a_write_whose_commit_outcome_is_unknown_keeps_its_claim(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    assert (await inventory.post("/api/v1/items", json=ITEM)).status_code == 201
    key = {"Idempotency-Key": "unknown-outcome"}
    armed = [True]

    def note_claim_marked(execution: ORMExecuteState) -> None:
        # The effect's transaction marks the claim; the first such update is its.
        table = getattr(execution.statement, "table", None)
        if execution.is_update and getattr(table, "name", None) == "idempotency_keys":
            execution.session.info["claim_marked"] = True

    def fail_after_commit(session: Session) -> None:
        # As a driver whose COMMIT went through but whose reply it could not read.
        if session.info.pop("claim_marked", False) and armed:
            armed.clear()
            raise ConnectionResetError("the reply to COMMIT was lost")

    event.listen(Session, "do_orm_execute", note_claim_marked)
    event.listen(Session, "after_commit", fail_after_commit)
    try:
        try:
            first: int | None = (
                await inventory.post("/api/v1/movements", json=RECEIPT, headers=key)
            ).status_code
        except ConnectionResetError:
            first = None
    finally:
        event.remove(Session, "do_orm_execute", note_claim_marked)
        event.remove(Session, "after_commit", fail_after_commit)
    assert not armed, "the effect's commit was not reached"
    assert first is None or first >= 500
    retried = await inventory.post("/api/v1/movements", json=RECEIPT, headers=key)
    assert retried.status_code == 409
    assert Decimal(await _on_hand(inventory)) == Decimal("5")
