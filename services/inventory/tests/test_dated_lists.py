"""The ledger and other dated lists sorted newest first and cut to a window of dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.inventory.tests.support import add_item, move
from shared.testing.stack import Stack


async def test_the_ledger_sorts_newest_first_and_keeps_a_window_of_dates(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "TUBE")
    written = [(await move(inventory, "receipt", "TUBE", str(n)))["id"] for n in (1, 2, 3)]
    oldest = await inventory.get("/api/v1/movements", params={"sku": "TUBE"})
    assert [m["id"] for m in oldest.json()["items"]] == written
    newest = await inventory.get(
        "/api/v1/movements", params={"sku": "TUBE", "sort": "-recorded_at"}
    )
    assert newest.status_code == 200, newest.text
    assert [m["id"] for m in newest.json()["items"]] == written[::-1]

    today = datetime.now(UTC).date()
    tomorrow = today + timedelta(days=1)
    window = {"from": today.isoformat(), "to": tomorrow.isoformat()}
    assert (await inventory.get("/api/v1/movements", params=window)).json()["total"] == 3
    later = {"from": tomorrow.isoformat()}
    assert (await inventory.get("/api/v1/movements", params=later)).json()["total"] == 0
    earlier = {"to": today.isoformat()}
    assert (await inventory.get("/api/v1/movements", params=earlier)).json()["total"] == 0

    for params in (
        {"sort": "-quantity"},
        {"from": "0"},
        {"from": "2026-12-04", "to": "2026-12-03"},
    ):
        refused = await inventory.get("/api/v1/movements", params=params)
        assert refused.status_code == 422, (params, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")


async def test_reservations_and_holds_sort_newest_first(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await add_item(inventory, "TUBE")
    await move(inventory, "receipt", "TUBE", "10", lot="T1")
    await move(inventory, "receipt", "TUBE", "10", lot="T2")
    made = []
    for reference in ("DO-1", "DO-2"):
        response = await inventory.post(
            "/api/v1/reservations",
            json={"reference": reference, "lines": [{"sku": "TUBE", "quantity": "1"}]},
        )
        assert response.status_code == 201, response.text
        made.append(response.json()["id"])
    newest = await inventory.get("/api/v1/reservations", params={"sort": "-created_at"})
    assert [r["id"] for r in newest.json()["items"]] == made[::-1]
    holds = []
    for lot in ("T1", "T2"):
        response = await inventory.post(
            "/api/v1/holds", json={"sku": "TUBE", "lot": lot, "reason": "check"}
        )
        assert response.status_code == 201, response.text
        holds.append(response.json()["id"])
    listed = await inventory.get("/api/v1/holds", params={"sort": "-created_at"})
    assert [h["id"] for h in listed.json()["items"]] == holds[::-1]
