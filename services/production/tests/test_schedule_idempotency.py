"""A keyed schedule request: its claim is marked committed with the schedule and outlives its solve."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from services.production.tests.test_schedules import START, fixed_orders, with_work_centers
from shared.db import utcnow
from shared.testing.stack import ServiceClient, Stack

SLOW = {"time_limit_seconds": 120}


async def test_a_keyed_schedule_marks_its_claim_committed_in_the_transaction_storing_it(
    sqlite_stack: Stack,
) -> None:
    (production,) = await sqlite_stack.start("production")
    await with_work_centers(production)
    fixed_orders(production)
    table = production.app.state.tables.idempotency_keys
    seen_at_commit: list[str | None] = []

    def before_commit(session: Session) -> None:
        state = session.execute(select(table.c.state).where(table.c.key == "sched-1")).scalar()
        seen_at_commit.append(state)

    event.listen(Session, "before_commit", before_commit)
    try:
        created = await production.post(
            "/api/v1/schedules",
            json={"time_limit_seconds": 1, "start": START.isoformat()},
            headers={"Idempotency-Key": "sched-1"},
        )
    finally:
        event.remove(Session, "before_commit", before_commit)
    assert created.status_code == 201, created.text
    # Claimed, read in a transaction that leaves it pending, stored with it committed, answered.
    assert "committed" in seen_at_commit
    async with production.app.state.database.transaction() as session:
        state = (
            await session.execute(select(table.c.state).where(table.c.key == "sched-1"))
        ).scalar()
    assert state == "done"


async def _probe(production: ServiceClient, body: dict[str, Any]) -> dict[str, Any]:
    """The claim a refused request leaves (no orders are released): its scope and body hash."""
    refused = await production.post(
        "/api/v1/schedules", json=body, headers={"Idempotency-Key": "p"}
    )
    assert refused.status_code == 422
    table = production.app.state.tables.idempotency_keys
    async with production.app.state.database.transaction() as session:
        row = (await session.execute(select(table).where(table.c.key == "p"))).mappings().one()
    return dict(row)


async def _leave_pending_claim(production: ServiceClient, key: str, age: timedelta) -> None:
    probe = await _probe(production, SLOW)
    table = production.app.state.tables.idempotency_keys
    async with production.app.state.database.transaction() as session:
        await session.execute(
            insert(table).values(
                scope=probe["scope"],
                key=key,
                request_hash=probe["request_hash"],
                state="pending",
                created_at=utcnow() - age,
            )
        )


async def test_a_pending_schedule_claim_is_not_taken_over_while_its_solve_may_still_run(
    sqlite_stack: Stack,
) -> None:
    (production,) = await sqlite_stack.start("production")
    await _leave_pending_claim(production, "solving", timedelta(seconds=90))
    retried = await production.post(
        "/api/v1/schedules", json=SLOW, headers={"Idempotency-Key": "solving"}
    )
    assert retried.status_code == 409
    assert retried.json()["type"].endswith("idempotency-key-in-flight")


async def test_a_pending_schedule_claim_older_than_its_solve_and_margin_is_run_again(
    sqlite_stack: Stack,
) -> None:
    (production,) = await sqlite_stack.start("production")
    await _leave_pending_claim(production, "died", timedelta(seconds=190))
    retried = await production.post(
        "/api/v1/schedules", json=SLOW, headers={"Idempotency-Key": "died"}
    )
    # It ran again: nothing is released, so it is refused on its merits.
    assert retried.status_code == 422
    assert "released" in retried.json()["detail"]
