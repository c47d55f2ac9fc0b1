"""Routings over HTTP: versions, known work centers only, the published event."""

from __future__ import annotations

from services.production.tests.catalog_seed import published, seed_items, seed_work_centers
from shared.testing.stack import Stack

OPERATIONS = [
    {"sequence": 20, "work_center": "PAINT", "setup_minutes": 15, "run_minutes_per_unit": "1.5"},
    {"sequence": 10, "work_center": "WELD", "setup_minutes": "30", "run_minutes_per_unit": 4},
]


async def test_routing_versions_are_stored_ordered_and_published(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "FRAME")
    await seed_work_centers(production, "WELD", "PAINT")

    first = await production.post(
        "/api/v1/routings",
        json={"product_sku": "FRAME", "operations": OPERATIONS, "effective_from": "2026-01-01"},
    )
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["version"] == 1
    assert [(o["sequence"], o["work_center"]) for o in body["operations"]] == [
        (10, "WELD"),
        (20, "PAINT"),
    ]
    assert body["operations"][0]["setup_minutes"] == "30"
    second = await production.post(
        "/api/v1/routings",
        json={
            "product_sku": "FRAME",
            "operations": OPERATIONS[1:],
            "effective_from": "2099-01-01",
        },
    )
    assert second.json()["version"] == 2

    listed = (await production.get("/api/v1/routings", params={"product_sku": "FRAME"})).json()
    assert [r["version"] for r in listed["items"]] == [2, 1]
    fetched = await production.get(f"/api/v1/routings/{body['id']}")
    assert fetched.json() == body
    effective = await production.get("/api/v1/routings/effective/FRAME")
    assert effective.json()["version"] == 1
    later = await production.get("/api/v1/routings/effective/FRAME", params={"on": "2099-02-01"})
    assert later.json()["version"] == 2
    assert (await production.get("/api/v1/routings/effective/GHOST")).status_code == 404
    assert (await production.get("/api/v1/routings/nope")).status_code == 404

    events = await published(production, "production.routing.published")
    assert [e["version"] for e in events] == [1, 2]
    assert events[0]["operations"][0] == {
        "sequence": 10,
        "work_center": "WELD",
        "setup_minutes": "30",
        "run_minutes_per_unit": "4",
        "overlap_quantity": None,
    }


async def test_unknown_work_centers_and_repeated_sequences_are_refused(stack: Stack) -> None:
    # The owners run so that production can ask them about what its views have not heard of.
    *_owners, production = await stack.start("inventory", "operations", "production")
    await seed_items(production, "FRAME")
    await seed_work_centers(production, "WELD")

    unknown = await production.post(
        "/api/v1/routings", json={"product_sku": "FRAME", "operations": OPERATIONS}
    )
    assert unknown.status_code == 422
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert unknown.json()["unknown_work_centers"] == ["PAINT"]
    assert "PAINT" in unknown.json()["detail"]

    twice = [dict(OPERATIONS[1]), dict(OPERATIONS[1])]
    repeated = await production.post(
        "/api/v1/routings", json={"product_sku": "FRAME", "operations": twice}
    )
    assert repeated.status_code == 422
    assert repeated.json()["duplicate_sequences"] == [10]

    ghost = await production.post(
        "/api/v1/routings", json={"product_sku": "GHOST", "operations": OPERATIONS[1:]}
    )
    assert ghost.status_code == 422
    assert ghost.json()["unknown_skus"] == ["GHOST"]
    assert (await production.get("/api/v1/routings")).json()["total"] == 0
    assert await published(production, "production.routing.published") == []


async def test_an_operation_may_overlap_the_one_before_from_a_positive_quantity(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "FRAME")
    await seed_work_centers(production, "WELD", "PAINT")
    overlapping = [OPERATIONS[1], {**OPERATIONS[0], "overlap_quantity": "5"}]
    for bad in ("0", "-1", "lots"):
        refused = await production.post(
            "/api/v1/routings",
            json={
                "product_sku": "FRAME",
                "operations": [OPERATIONS[1], {**OPERATIONS[0], "overlap_quantity": bad}],
            },
        )
        assert refused.status_code == 422, bad
    created = await production.post(
        "/api/v1/routings", json={"product_sku": "FRAME", "operations": overlapping}
    )
    assert created.status_code == 201, created.text
    assert [o["overlap_quantity"] for o in created.json()["operations"]] == [None, "5"]
    (event,) = await published(production, "production.routing.published")
    assert [o["overlap_quantity"] for o in event["operations"]] == [None, "5"]
