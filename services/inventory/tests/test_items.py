"""The item master over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from shared.testing.stack import Stack

FRAME = {
    "sku": "FRAME-54",
    "name": "Frame 54 cm",
    "uom": "ea",
    "kind": "component",
    "standard_cost": "42.50",
}


async def test_created_item_can_be_read_back_with_decimal_fields(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    created = await inventory.post("/api/v1/items", json=FRAME)
    assert created.status_code == 201, created.text
    read = await inventory.get("/api/v1/items/FRAME-54")
    assert read.status_code == 200
    assert read.json()["standard_cost"] == "42.5"
    assert read.headers["etag"] == '"1"'


async def test_duplicate_sku_is_a_conflict_problem(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    assert (await inventory.post("/api/v1/items", json=FRAME)).status_code == 201
    again = await inventory.post("/api/v1/items", json=FRAME)
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["type"].endswith("already-exists")


async def test_update_needs_the_current_version(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    await inventory.post("/api/v1/items", json=FRAME)
    stale = await inventory.patch(
        "/api/v1/items/FRAME-54", json={"name": "x"}, headers={"If-Match": '"7"'}
    )
    assert stale.status_code == 412
    missing = await inventory.patch("/api/v1/items/FRAME-54", json={"name": "x"})
    assert missing.status_code == 428
    ok = await inventory.patch(
        "/api/v1/items/FRAME-54", json={"name": "Frame"}, headers={"If-Match": '"1"'}
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert (await inventory.get("/api/v1/items/FRAME-54")).json()["name"] == "Frame"


async def test_items_are_listed_a_page_at_a_time_and_filtered(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    for n in range(5):
        await inventory.post(
            "/api/v1/items", json={**FRAME, "sku": f"P-{n}", "kind": "raw" if n % 2 else "finished"}
        )
    page = (await inventory.get("/api/v1/items", params={"limit": 2})).json()
    assert (
        [i["sku"] for i in page["items"]] == ["P-0", "P-1"]
        and page["total"] == 5
        and page["next_offset"] == 2
    )
    raw = (await inventory.get("/api/v1/items", params={"kind": "raw"})).json()
    assert [i["sku"] for i in raw["items"]] == ["P-1", "P-3"]


async def test_reads_are_answered_with_the_committed_state_while_a_write_is_open(
    stack: Stack,
) -> None:
    (inventory,) = await stack.start("inventory")
    assert (await inventory.post("/api/v1/items", json=FRAME)).status_code == 201
    async with inventory.app.state.database.transaction() as writing:
        await writing.execute(text("UPDATE items SET name = 'changing' WHERE sku = 'FRAME-54'"))
        # On SQLite the open write holds the service's one write turn; a read must not wait.
        read = await asyncio.wait_for(inventory.get("/api/v1/items/FRAME-54"), 10)
        listed = await asyncio.wait_for(inventory.get("/api/v1/warehouses"), 10)
    assert read.status_code == 200 and read.json()["name"] == "Frame 54 cm"
    assert [w["code"] for w in listed.json()["items"]] == ["MAIN"]
