"""Planning parameters over HTTP: set, read and list them; MRP runs size, source and time by them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.production.tests.catalog_seed import seed_items
from shared.db import utcnow
from shared.testing.stack import ServiceClient, Stack


def day(n: int) -> str:
    return (utcnow().date() + timedelta(days=n)).isoformat()


async def forecast(production: ServiceClient, sku: str, quantity: str, on: str) -> None:
    response = await production.post(
        "/api/v1/forecasts", json={"sku": sku, "date": on, "quantity": quantity}
    )
    assert response.status_code == 201, response.text


async def planned(production: ServiceClient) -> list[tuple[str, str, str, str, str]]:
    response = await production.post("/api/v1/mrp/runs", json={"horizon_days": 30, "bucket": "day"})
    assert response.status_code == 201, response.text
    return [
        (p["sku"], p["kind"], p["quantity"], p["release_date"], p["due_date"])
        for p in response.json()["planned_orders"]
    ]


async def test_mrp_orders_fixed_lots_and_minimum_multiples_as_the_parameters_say(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "CASTING", "BOLT", "PLAIN")
    fixed = await production.put(
        "/api/v1/planning-parameters/CASTING", json={"lot_sizing": "fixed", "fixed_quantity": 50}
    )
    assert fixed.status_code == 201, fixed.text
    assert fixed.headers["Location"] == "/api/v1/planning-parameters/CASTING"
    minimum = await production.put(
        "/api/v1/planning-parameters/BOLT",
        json={"lot_sizing": "min_multiple", "minimum_quantity": "40", "multiple": "10"},
    )
    assert minimum.status_code == 201, minimum.text
    await forecast(production, "CASTING", "30", day(10))
    await forecast(production, "BOLT", "43", day(10))
    await forecast(production, "PLAIN", "43", day(10))

    assert sorted(await planned(production)) == [
        ("BOLT", "buy", "50", day(10), day(10)),
        ("CASTING", "buy", "50", day(10), day(10)),
        ("PLAIN", "buy", "43", day(10), day(10)),
    ]


async def test_procurement_and_lead_time_override_the_bom_and_the_items_lead_time(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "KIT", "PART", "SPARE")
    bom = await production.post(
        "/api/v1/boms",
        json={
            "product_sku": "KIT",
            "effective_from": "2020-01-01",
            "components": [{"sku": "PART", "quantity": "2"}],
        },
    )
    assert bom.status_code == 201, bom.text
    await forecast(production, "KIT", "5", day(20))
    await forecast(production, "SPARE", "3", day(20))
    # No parameters: KIT has a BOM, so it is made, and its parts are bought.
    assert sorted(await planned(production)) == [
        ("KIT", "make", "5", day(20), day(20)),
        ("PART", "buy", "10", day(20), day(20)),
        ("SPARE", "buy", "3", day(20), day(20)),
    ]

    # KIT bought ready-made (no parts needed); SPARE made in-house in 4 days.
    kit = await production.put(
        "/api/v1/planning-parameters/KIT", json={"procurement": "buy", "lead_time_days": 6}
    )
    assert kit.status_code == 201, kit.text
    spare = await production.put(
        "/api/v1/planning-parameters/SPARE", json={"procurement": "make", "lead_time_days": 4}
    )
    assert spare.status_code == 201, spare.text
    assert sorted(await planned(production)) == [
        ("KIT", "buy", "5", day(14), day(20)),
        ("SPARE", "make", "3", day(16), day(20)),
    ]

    # Back to auto with the item's own lead time: made again from its BOM.
    again = await production.put("/api/v1/planning-parameters/KIT", json={"procurement": "auto"})
    assert again.status_code == 200, again.text
    assert (again.json()["version"], again.headers["ETag"]) == (2, '"2"')
    assert [p[:3] for p in sorted(await planned(production))] == [
        ("KIT", "make", "5"),
        ("PART", "buy", "10"),
        ("SPARE", "make", "3"),
    ]


async def test_parameters_are_read_and_listed_and_bad_ones_are_refused(stack: Stack) -> None:
    # Inventory runs so that production can ask it about a sku its view has not heard of.
    _inventory, production = await stack.start("inventory", "production")
    await seed_items(production, "A", "B")
    for sku, body in (
        ("B", {"lot_sizing": "min_multiple", "multiple": "12", "lead_time_days": 3}),
        ("A", {}),
    ):
        response = await production.put(f"/api/v1/planning-parameters/{sku}", json=body)
        assert response.status_code == 201, response.text

    one = await production.get("/api/v1/planning-parameters/B")
    assert one.status_code == 200
    assert one.headers["ETag"] == '"1"'
    stored: dict[str, Any] = one.json()
    assert {k: stored[k] for k in stored if k != "updated_at"} == {
        "sku": "B",
        "lot_sizing": "min_multiple",
        "fixed_quantity": None,
        "minimum_quantity": None,
        "multiple": "12",
        "procurement": "auto",
        "lead_time_days": 3,
        "version": 1,
    }
    listed = (await production.get("/api/v1/planning-parameters")).json()
    assert [(p["sku"], p["lot_sizing"]) for p in listed["items"]] == [
        ("A", "lot_for_lot"),
        ("B", "min_multiple"),
    ]
    assert listed["total"] == 2

    missing = await production.get("/api/v1/planning-parameters/C")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    unknown = await production.put("/api/v1/planning-parameters/NOPE", json={})
    assert unknown.status_code == 422
    assert unknown.json()["unknown_skus"] == ["NOPE"]
    for bad in (
        {"lot_sizing": "fixed"},
        {"lot_sizing": "fixed", "fixed_quantity": "0"},
        {"lot_sizing": "fixed", "fixed_quantity": "5", "multiple": "2"},
        {"lot_sizing": "min_multiple"},
        {"lot_sizing": "lot_for_lot", "minimum_quantity": "5"},
        {"lot_sizing": "weekly"},
        {"procurement": "steal"},
        {"lead_time_days": -1},
        {"lead_time": 3},
    ):
        refused = await production.put("/api/v1/planning-parameters/A", json=bad)
        assert refused.status_code == 422, (bad, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
    # Nothing refused changed what was stored.
    assert (await production.get("/api/v1/planning-parameters/A")).json()["version"] == 1
