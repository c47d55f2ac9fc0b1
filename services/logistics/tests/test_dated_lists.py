"""Purchase and delivery orders sorted either way and cut to a window of dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.logistics.tests.test_deliveries import ORDER as DELIVERY
from services.logistics.tests.test_purchasing import ORDER as PURCHASE
from services.logistics.tests.test_purchasing import with_supplier
from shared.testing.stack import Stack


async def test_orders_sort_either_way_and_keep_a_window_of_dates(stack: Stack) -> None:
    (logistics,) = await stack.start("logistics")
    await with_supplier(logistics)
    purchases = []
    for expected in ("2026-12-20", "2026-12-10"):
        created = await logistics.post(
            "/api/v1/purchase-orders", json=PURCHASE | {"expected_date": expected}
        )
        assert created.status_code == 201, created.text
        purchases.append(created.json()["id"])
    newest = await logistics.get("/api/v1/purchase-orders")
    assert [o["id"] for o in newest.json()["items"]] == purchases[::-1]
    oldest = await logistics.get("/api/v1/purchase-orders", params={"sort": "created_at"})
    assert [o["id"] for o in oldest.json()["items"]] == purchases
    by_expected = await logistics.get("/api/v1/purchase-orders", params={"sort": "expected_date"})
    assert [o["id"] for o in by_expected.json()["items"]] == purchases[::-1]

    deliveries = []
    for due in ("2026-12-05", "2026-12-09"):
        created = await logistics.post("/api/v1/delivery-orders", json=DELIVERY | {"due_date": due})
        assert created.status_code == 201, created.text
        deliveries.append(created.json()["id"])
    latest_due = await logistics.get("/api/v1/delivery-orders", params={"sort": "-due_date"})
    assert [o["id"] for o in latest_due.json()["items"]] == deliveries[::-1]

    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    for path in ("/api/v1/purchase-orders", "/api/v1/delivery-orders"):
        assert (await logistics.get(path, params={"to": tomorrow})).json()["total"] == 2
        assert (await logistics.get(path, params={"from": tomorrow})).json()["total"] == 0
        refused = await logistics.get(path, params={"sort": "customer"})
        assert refused.status_code == 422
        assert refused.json()["allowed"]
