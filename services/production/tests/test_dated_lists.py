"""Production orders and inspections sorted newest first and cut to a window of dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.production.tests.catalog_seed import seed_items
from shared.testing.stack import Stack


async def test_orders_sort_newest_first_and_keep_a_window_of_dates(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "BIKE")
    made = []
    for due in ("2026-12-10", "2026-12-20", "2026-12-15"):
        created = await production.post(
            "/api/v1/orders", json={"product_sku": "BIKE", "quantity": "1", "due_date": due}
        )
        assert created.status_code == 201, created.text
        made.append(created.json()["id"])
    by_due = await production.get("/api/v1/orders")
    assert [o["id"] for o in by_due.json()["items"]] == [made[0], made[2], made[1]]
    newest = await production.get("/api/v1/orders", params={"sort": "-created_at"})
    assert [o["id"] for o in newest.json()["items"]] == made[::-1]
    today = datetime.now(UTC).date()
    window = {"from": today.isoformat(), "to": (today + timedelta(days=1)).isoformat()}
    assert (await production.get("/api/v1/orders", params=window)).json()["total"] == 3
    yesterday = {"to": today.isoformat()}
    assert (await production.get("/api/v1/orders", params=yesterday)).json()["total"] == 0
    assert (
        await production.get("/api/v1/inspections", params={"sort": "inspected_at"})
    ).status_code == 200
    assert (await production.get("/api/v1/mrp/runs", params={"from": "0.5"})).status_code == 422
