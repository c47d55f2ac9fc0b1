"""Inventory's PostgreSQL refusing connections for 10 s while released orders arrive: every
order is handled once the database is back, and nothing is dead-lettered."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from services.inventory.tests.support import add_item, move, published
from services.inventory.tests.test_event_handlers import released
from shared.db import new_id
from shared.embedded_broker import EmbeddedBroker
from shared.testing.databases import ThrowawayDatabases, connections_refused
from shared.testing.producer import produce
from shared.testing.stack import Stack, eventually
from shared.tests.probe import read_topic

ORDERS = 10
OUTAGE_SECONDS = 10


@pytest.fixture
async def postgres_stack(
    broker: EmbeddedBroker, postgres_databases: ThrowawayDatabases
) -> AsyncIterator[Stack]:
    """Services on the shared broker and PostgreSQL."""
    running = Stack(broker.bootstrap, postgres_databases)
    yield running
    await running.close()


async def test_released_orders_arriving_while_the_database_refuses_connections_are_all_handled_after(
    postgres_stack: Stack,
) -> None:
    (inventory,) = await postgres_stack.start("inventory")
    await add_item(inventory, "WHEEL", standard_cost="2")
    await move(inventory, "receipt", "WHEEL", "100")
    orders = [f"PO-OUT-{n}" for n in range(ORDERS)]
    async with connections_refused(postgres_stack.database_urls["inventory"]):
        began = time.monotonic()
        await produce(
            inventory,
            "production",
            [(released(order, WHEEL="2"), order, new_id(), 1) for order in orders],
        )
        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - began)))

    async def all_reserved() -> bool:
        confirmed = await published(inventory, "inventory.reservation.confirmed")
        return {e["data"]["reference"] for e in confirmed} >= set(orders)

    await eventually(all_reserved, timeout=60)
    confirmed = await published(inventory, "inventory.reservation.confirmed")
    assert sorted(e["data"]["reference"] for e in confirmed) == sorted(orders)
    dead = await read_topic(
        inventory.settings, inventory.settings.events_topic("production") + ".dlq", expected=0
    )
    assert dead == []
