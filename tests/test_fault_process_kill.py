"""A service process killed with SIGKILL mid-flow and started again loses nothing, doubles nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from shared.auth import ALL_SCOPES, mint_token
from shared.db import Database
from shared.embedded_broker import EmbeddedBroker
from shared.testing.consistency import assert_applied_once, assert_consistent, stack_databases
from shared.testing.databases import ThrowawayDatabases
from shared.testing.process import ServiceProcess
from shared.testing.stack import TEST_JWT_SECRET, Stack, eventually

ITEM_EVENTS = ("inventory.item.created", "inventory.item.updated")
ITEMS = 80


@pytest.fixture
async def sqlite_stack_of_mine(broker: EmbeddedBroker, tmp_path: Path) -> AsyncIterator[Stack]:
    running = Stack(broker.bootstrap, ThrowawayDatabases("sqlite", tmp_path))
    yield running
    await running.close()


def _process(service: str, stack: Stack, folder: Path) -> ServiceProcess:
    return ServiceProcess(
        service,
        folder,
        kafka_bootstrap=stack.bootstrap,
        topic_prefix=stack.topic_prefix,
        jwt_secret=TEST_JWT_SECRET,
        relay_poll_seconds="0.2",
        consumer_session_timeout_ms="2500",
        idempotency_stale_claim_seconds="2",
        log_json="false",
    )


def _client(url: str) -> httpx.AsyncClient:
    token = mint_token(TEST_JWT_SECRET, ALL_SCOPES)
    return httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=10)


def _item(n: int) -> dict[str, str]:
    return {"sku": f"K-{n:03d}", "name": f"Item {n}", "kind": "raw"}


async def _inbox_size(database: Database) -> int:
    async with database.transaction() as session:
        return int((await session.execute(text("SELECT count(*) FROM inbox"))).scalar_one())


async def test_inventory_killed_mid_flow_loses_no_accepted_item_and_each_event_applies_once(
    sqlite_stack_of_mine: Stack, tmp_path: Path
) -> None:
    stack = sqlite_stack_of_mine
    production, logistics = await stack.start("production", "logistics")
    inventory = _process("inventory", stack, tmp_path)
    await inventory.start()
    outcomes: dict[int, int | None] = {}
    try:
        async with _client(inventory.url) as client:
            limit = asyncio.Semaphore(8)

            async def create(n: int) -> None:
                async with limit:
                    try:
                        response = await client.post(
                            "/api/v1/items", json=_item(n), headers={"Idempotency-Key": f"k-{n}"}
                        )
                        outcomes[n] = response.status_code
                    except httpx.HTTPError:
                        outcomes[n] = None  # no answer: the client does not know

            writers = asyncio.gather(*(create(n) for n in range(ITEMS)))
            await eventually(
                lambda: _async(sum(1 for s in outcomes.values() if s == 201) >= 25), timeout=60
            )
            inventory.kill()
            await writers
            accepted = [n for n, status in outcomes.items() if status == 201]
            assert 25 <= len(accepted) < ITEMS

            await inventory.start()
            for n in accepted:
                assert (await client.get(f"/api/v1/items/K-{n:03d}")).status_code == 200
            # The client retries what it got no answer for, with the same key: a request that
            # died before committing runs once more; one that committed is never run again.
            for n in range(ITEMS):
                if outcomes.get(n) != 201:

                    async def retry(n: int = n) -> httpx.Response | None:
                        response = await client.post(
                            "/api/v1/items", json=_item(n), headers={"Idempotency-Key": f"k-{n}"}
                        )
                        in_flight = response.status_code == 409 and response.json()[
                            "type"
                        ].endswith("in-flight")
                        return None if in_flight else response

                    retried = await eventually(retry, timeout=30, interval=0.5)
                    assert retried.status_code == 201 or retried.json()["type"].endswith(
                        "response-lost"
                    ), (n, retried.status_code, retried.text)
            assert (await client.get("/api/v1/items")).json()["total"] == ITEMS

            await assert_consistent(
                stack_databases([production, logistics]), {"inventory": client}, timeout=60
            )
        owner = Database(inventory.database_url)
        try:
            for consumer in (production, logistics):
                await assert_applied_once(owner, consumer.app.state.database, ITEM_EVENTS)
        finally:
            await owner.dispose()
    finally:
        inventory.stop()


async def test_production_killed_while_applying_events_resumes_and_applies_each_once(
    sqlite_stack_of_mine: Stack, tmp_path: Path
) -> None:
    stack = sqlite_stack_of_mine
    (inventory,) = await stack.start("inventory")
    production = _process("production", stack, tmp_path)
    await production.start()
    views = Database(production.database_url)
    try:
        for n in range(ITEMS):
            created = await inventory.post("/api/v1/items", json=_item(n))
            assert created.status_code == 201
        await eventually(lambda: _above(views, 10), timeout=60)
        production.kill()
        applied_at_kill = await _inbox_size(views)
        for n in range(0, ITEMS, 4):
            renamed = await inventory.patch(
                f"/api/v1/items/K-{n:03d}",
                json={"name": f"Item {n} v2"},
                headers={"If-Match": '"1"'},
            )
            assert renamed.status_code == 200
        await production.start()
        await assert_consistent({"production": views}, {"inventory": inventory}, timeout=60)
        await assert_applied_once(inventory.app.state.database, views, ITEM_EVENTS)
        assert await _inbox_size(views) == ITEMS + ITEMS // 4 > applied_at_kill
    finally:
        production.stop()
        await views.dispose()


async def _async(value: bool) -> bool:
    return value


async def _above(database: Database, count: int) -> bool:
    try:
        return await _inbox_size(database) > count
    except Exception:  # the table appears once the process has migrated
        return False
