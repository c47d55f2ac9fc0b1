"""Warehouses and locations over HTTP."""

from __future__ import annotations

from shared.testing.stack import Stack


async def test_warehouses_and_their_locations_are_created_listed_and_unique(
    sqlite_stack: Stack,
) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    created = await inventory.post("/api/v1/warehouses", json={"code": "EAST", "name": "East"})
    assert created.status_code == 201, created.text
    again = await inventory.post("/api/v1/warehouses", json={"code": "EAST", "name": "East"})
    assert again.status_code == 409 and again.json()["type"].endswith("already-exists")
    listed = (await inventory.get("/api/v1/warehouses")).json()
    assert [w["code"] for w in listed["items"]] == ["EAST", "MAIN"]

    url = "/api/v1/warehouses/EAST/locations"
    assert (await inventory.post(url, json={"code": "A-01", "name": "Aisle A"})).status_code == 201
    assert (await inventory.post(url, json={"code": "A-01"})).status_code == 409
    assert [loc["code"] for loc in (await inventory.get(url)).json()] == ["A-01"]
    missing = await inventory.post("/api/v1/warehouses/NOPE/locations", json={"code": "X"})
    assert missing.status_code == 404
    assert (await inventory.get("/api/v1/warehouses/NOPE")).status_code == 404
    assert (
        await inventory.post("/api/v1/warehouses", json={"code": "", "name": "x"})
    ).status_code == 422
