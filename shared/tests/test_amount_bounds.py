"""Amounts and integers are bounded where they enter, and an overflow is a 422, never a 500."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select

from shared.db import Amount, Database
from shared.errors import install_problem_handlers
from shared.numbers import LIMIT
from shared.testing.databases import ThrowawayDatabases
from shared.testing.stack import Stack

LARGEST = "999999999999.999999"


async def test_the_largest_accepted_amount_round_trips_exactly_and_one_more_digit_is_422(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    item = {"sku": "BIG-1", "name": "Big", "kind": "raw", "standard_cost": LARGEST}
    created = await inventory.post("/api/v1/items", json=item)
    assert created.status_code == 201, created.text
    fetched = (await inventory.get("/api/v1/items/BIG-1")).json()
    assert fetched["standard_cost"] == LARGEST

    for field, value in [
        ("reorder_point", "1000000000000"),
        ("safety_stock", 1e300),
        ("standard_cost", "0.0000001"),
        ("lead_time_days", 10**30),
    ]:
        refused = await inventory.post("/api/v1/items", json={**item, "sku": "BIG-2", field: value})
        assert refused.status_code == 422, (field, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
    assert (await inventory.get("/api/v1/items/BIG-2")).status_code == 404


async def test_huge_numbers_in_a_delivery_order_are_422(sqlite_stack: Stack) -> None:
    (logistics,) = await sqlite_stack.start("logistics")
    order = {
        "customer": "Velo Shop",
        "ship_to": "1 rue de la Gare, Lyon",
        "due_date": "2030-01-01",
        "lines": [{"sku": "BIKE", "quantity": "1" + "0" * 30}],
    }
    refused = await logistics.post("/api/v1/delivery-orders", json=order)
    assert refused.status_code == 422, refused.text
    listed = (await logistics.get("/api/v1/delivery-orders")).json()
    assert listed["total"] == 0


@pytest.mark.parametrize("value", [LIMIT, -LIMIT, Decimal("1e30")])
async def test_a_computed_amount_beyond_storage_is_a_422_problem_and_stores_nothing(
    databases: ThrowawayDatabases, value: Decimal
) -> None:
    metadata = MetaData()
    amounts = Table(
        "amounts", metadata, Column("id", Integer, primary_key=True), Column("value", Amount())
    )
    database = Database(await databases.url("amounts"))
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/total")
    async def total() -> dict[str, str]:
        async with database.transaction() as session:
            await session.execute(insert(amounts).values(value=Decimal(1)))
            await session.execute(insert(amounts).values(value=value))
        return {}

    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://t"
        ) as client:
            response = await client.post("/total")
        assert response.status_code == 422, response.text
        assert response.json()["type"] == "urn:plantline:problem:validation-error"
        async with database.transaction() as session:
            assert await session.scalar(select(func.count()).select_from(amounts)) == 0
    finally:
        await database.dispose()
