"""POST /api/v1/promises: the earliest delivery date from stock, supply, BOMs and capacity."""

from __future__ import annotations

import time
from datetime import date
from functools import partial

from services.production.catalog.models import KnownStock
from services.production.mrp.models import PurchaseLineView
from services.production.tests.test_mrp_runs import (
    PurchaseOrderPlaced,
    StockChanged,
    bom,
    day,
    seed,
)
from services.production.tests.test_work_center_view import WorkCenterCreated, work_center
from shared.db import new_id
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually

ALL_WEEK = {
    "timezone": "UTC",
    "shifts": [{"weekday": d, "start": "00:00", "end": "23:59"} for d in range(7)],
}


async def bike_works(production: ServiceClient) -> None:
    """BIKE = 2 WHEEL + FRAME, assembled on ASSY; 10 wheels in stock, 10 frames on PO-0000F."""
    await seed(production, BIKE=2, WHEEL=3, FRAME=7)
    await bom(production, "BIKE", ("WHEEL", "2", "0"), ("FRAME", "1", "0"))
    await produce(
        production,
        "operations",
        [
            (
                WorkCenterCreated(
                    code="ASSY",
                    name="Assembly",
                    capacity=1,
                    cost_per_hour="40",
                    calendar=ALL_WEEK,
                    version=1,
                ),
                "ASSY",
                new_id(),
                1,
            )
        ],
    )
    await eventually(partial(work_center, production, "ASSY"))
    routing = await production.post(
        "/api/v1/routings",
        json={
            "product_sku": "BIKE",
            "effective_from": "2020-01-01",
            "operations": [
                {
                    "sequence": 10,
                    "work_center": "ASSY",
                    "setup_minutes": "30",
                    "run_minutes_per_unit": "6",
                }
            ],
        },
    )
    assert routing.status_code == 201, routing.text
    await produce(
        production,
        "inventory",
        [
            (
                StockChanged(sku="WHEEL", on_hand="10", reserved="0", on_hold="0", available="10"),
                "WHEEL",
                new_id(),
                1,
            )
        ],
    )
    await produce(
        production,
        "logistics",
        [
            (
                PurchaseOrderPlaced(
                    purchase_order_id="po-frames",
                    number="PO-0000F",
                    supplier="ALU",
                    expected_date=date.fromisoformat(day(4)),
                    lines=[{"sku": "FRAME", "quantity": "10", "unit_price": "30"}],
                ),
                "po-frames",
                new_id(),
                1,
            )
        ],
    )

    async def seen() -> bool:
        async with production.app.state.database.transaction() as session:
            return (
                await session.get(KnownStock, "WHEEL") is not None
                and await session.get(PurchaseLineView, ("po-frames", "FRAME")) is not None
            )

    await eventually(seen, timeout=30)


async def test_a_promise_names_the_material_that_binds_it_and_answers_quickly(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    await bike_works(production)

    timings = []
    for _ in range(3):
        began = time.monotonic()
        response = await production.post("/api/v1/promises", json={"sku": "BIKE", "quantity": "5"})
        timings.append(time.monotonic() - began)
    elapsed = min(timings)

    assert response.status_code == 200, response.text
    body = response.json()
    # Wheels from stock, frames on the purchase order in 4 days, then an hour of assembly.
    assert (body["sku"], body["quantity"], body["promised_date"]) == ("BIKE", "5", day(4))
    assert body["limited_by"] == "material:FRAME"
    assert body["constraint"] == {
        "kind": "material",
        "sku": "FRAME",
        "work_center": None,
        "order": "PO-0000F",
    }
    assert elapsed < 2

    wheels = await production.post("/api/v1/promises", json={"sku": "WHEEL", "quantity": "8"})
    assert (wheels.json()["promised_date"], wheels.json()["limited_by"]) == (day(0), "stock")
    more = await production.post(
        "/api/v1/promises", json={"sku": "WHEEL", "quantity": "12", "warehouse": "MAIN"}
    )
    assert (more.json()["promised_date"], more.json()["limited_by"]) == (day(3), "lead_time")


async def test_bad_promise_requests_are_problems(stack: Stack) -> None:
    # Inventory answers for the sku production has not heard of: it has no such item either.
    _, production = await stack.start("inventory", "production")
    await seed(production, NUT=0)
    for body in (
        {"sku": "NUT", "quantity": "0"},
        {"sku": "NUT", "quantity": "-1"},
        {"sku": "NOPE", "quantity": "1"},
        {"sku": "NUT"},
        {"sku": "NUT", "quantity": "1", "colour": "red"},
    ):
        response = await production.post("/api/v1/promises", json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_quantity_no_calendar_can_make_is_a_problem_not_a_crash(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await bike_works(production)
    response = await production.post(
        "/api/v1/promises", json={"sku": "BIKE", "quantity": "999999999"}
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_an_item_created_a_moment_ago_in_inventory_can_be_promised_at_once(
    stack: Stack,
) -> None:
    inventory, production = await stack.start("inventory", "production")
    created = await inventory.post(
        "/api/v1/items", json={"sku": "FRESH", "name": "Fresh", "kind": "raw"}
    )
    assert created.status_code == 201, created.text
    answer = await production.post("/api/v1/promises", json={"sku": "FRESH", "quantity": "1"})
    assert answer.status_code == 200, answer.text
