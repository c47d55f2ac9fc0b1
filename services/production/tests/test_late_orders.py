"""Late production orders: announced once, when the due date passes or a schedule finishes late."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from services.production.orders.lateness import check_overdue_orders
from services.production.tests.catalog_seed import published, seed_items, seed_work_centers
from services.production.tests.test_orders import new_order, order_of, with_bike
from shared.db import utcnow
from shared.testing.stack import ServiceClient, Stack, eventually


def day(n: int) -> str:
    return (utcnow().date() + timedelta(days=n)).isoformat()


async def late_events(production: ServiceClient) -> list[dict[str, Any]]:
    return await published(production, "production.order.late")


async def test_open_orders_past_their_due_date_are_announced_once_and_operations_follows_up(
    stack: Stack,
) -> None:
    # The background job checks at start, then a minute later: this test runs the checks itself.
    production, operations = await stack.start("production", "operations")
    await with_bike(production)
    overdue = await new_order(production, due_date=day(-1))
    released = await new_order(production, due_date=day(-3))
    assert (await production.post(f"/api/v1/orders/{released['id']}/release")).status_code == 200
    cancelled = await new_order(production, due_date=day(-2))
    assert (await production.post(f"/api/v1/orders/{cancelled['id']}/cancel")).status_code == 200
    due_today = await new_order(production, due_date=day(0))

    await check_overdue_orders(production.app.state.database)
    events = await late_events(production)
    assert sorted((e["order_id"], e["due_date"], e["reason"]) for e in events) == sorted(
        [(overdue["id"], day(-1), "overdue"), (released["id"], day(-3), "overdue")]
    )
    assert all(e["product_sku"] == "BIKE" and e["expected_completion"] is None for e in events)
    # Checking again announces nothing twice, and nothing not yet due or cancelled.
    assert await check_overdue_orders(production.app.state.database) == 0
    assert len(await late_events(production)) == 2
    assert (await order_of(production, overdue["id"]))["late_notified_at"] is not None
    assert (await order_of(production, due_today["id"]))["late_notified_at"] is None
    assert (await order_of(production, cancelled["id"]))["late_notified_at"] is None

    async def engineering_request() -> list[dict[str, Any]] | None:
        found = await operations.get("/api/v1/work-requests", params={"order_id": overdue["id"]})
        return found.json()["items"] or None

    (request,) = await eventually(engineering_request)
    assert (request["kind"], request["origin"]) == ("engineering", "production.order.late")
    assert day(-1) in request["title"]


async def test_the_background_job_announces_an_order_as_soon_as_it_is_overdue_and_only_once(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANTLINE_PRODUCTION_LATE_ORDER_CHECK_SECONDS", "0.2")
    (production,) = await stack.start("production")
    await with_bike(production)
    overdue = await new_order(production, due_date=day(-1))

    async def announced() -> list[dict[str, Any]] | None:
        return await late_events(production) or None

    (event,) = await eventually(announced)
    assert (event["order_id"], event["reason"]) == (overdue["id"], "overdue")
    await asyncio.sleep(1)  # five more checks
    assert len(await late_events(production)) == 1


async def product_made_on(production: ServiceClient, product: str, center: str) -> None:
    """A BOM of one STEEL and a routing of one operation, an hour a unit, on a work center."""
    for path, body in (
        ("/api/v1/boms", {"components": [{"sku": "STEEL", "quantity": 1}]}),
        (
            "/api/v1/routings",
            {
                "operations": [
                    {
                        "sequence": 10,
                        "work_center": center,
                        "setup_minutes": "0",
                        "run_minutes_per_unit": "60",
                    }
                ]
            },
        ),
    ):
        response = await production.post(
            path, json={"product_sku": product, "effective_from": "2020-01-01", **body}
        )
        assert response.status_code == 201, response.text


async def test_a_schedule_finishing_an_order_after_its_due_date_announces_it_once(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "SHAFT", "PIN", "STEEL")
    await seed_work_centers(production, "SAW", "LATHE")  # Mon-Fri 08:00-16:00
    for product, center in (("SHAFT", "SAW"), ("PIN", "LATHE")):
        await product_made_on(production, product, center)
    # Six hours of sawing do not fit in Monday's afternoon: Tuesday 08:00 to 14:00, a day late.
    shaft = await new_order(production, product_sku="SHAFT", quantity="6", due_date="2026-12-14")
    pin = await new_order(production, product_sku="PIN", quantity="2", due_date="2026-12-14")
    for order in (shaft, pin):
        assert (await production.post(f"/api/v1/orders/{order['id']}/release")).status_code == 200

    for _ in range(2):
        created = await production.post(
            "/api/v1/schedules",
            json={"time_limit_seconds": 1, "start": "2026-12-14T12:00:00Z"},
        )
        assert created.status_code == 201, created.text

    (event,) = await late_events(production)
    assert (event["order_id"], event["product_sku"], event["due_date"], event["reason"]) == (
        shaft["id"],
        "SHAFT",
        "2026-12-14",
        "scheduled_late",
    )
    assert event["expected_completion"].startswith("2026-12-15T14:00:00")
    assert (await order_of(production, shaft["id"]))["late_notified_at"] is not None
    assert (await order_of(production, pin["id"]))["late_notified_at"] is None
