"""Inspection plans and inspections over HTTP: the completion gate, validation, the report."""

from __future__ import annotations

from typing import Any

from services.production.tests.catalog_seed import published, seed_items
from shared.testing.stack import ServiceClient, Stack

PLAN = {
    "product_sku": "BIKE",
    "sample_size": 5,
    "characteristics": [
        {"name": "wheel_true", "unit": "mm", "lower_limit": "-0.5", "upper_limit": "0.5"},
        {"name": "weight", "unit": "kg", "upper_limit": "14"},
    ],
}


async def released_order(production: ServiceClient, product: str = "BIKE") -> str:
    created = await production.post(
        "/api/v1/orders", json={"product_sku": product, "quantity": 4, "due_date": "2026-12-10"}
    )
    assert created.status_code == 201, created.text
    order_id: str = created.json()["id"]
    released = await production.post(f"/api/v1/orders/{order_id}/release")
    assert released.status_code == 200, released.text
    return order_id


async def inspect(production: ServiceClient, order_id: str, **body: Any) -> Any:
    return await production.post("/api/v1/inspections", json={"order_id": order_id, **body})


async def with_products(production: ServiceClient) -> None:
    await seed_items(production, "BIKE", "CART", "WHEEL")
    for product in ("BIKE", "CART"):
        bom = await production.post(
            "/api/v1/boms",
            json={"product_sku": product, "components": [{"sku": "WHEEL", "quantity": 2}]},
        )
        assert bom.status_code == 201, bom.text


async def test_an_order_with_a_plan_completes_only_after_a_passing_inspection(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    await with_products(production)
    plan = await production.post("/api/v1/inspection-plans", json=PLAN)
    assert plan.status_code == 201, plan.text
    assert plan.json()["version"] == 1
    assert plan.json()["characteristics"][1] == {
        "name": "weight",
        "unit": "kg",
        "lower_limit": None,
        "upper_limit": "14",
    }
    listed = await production.get("/api/v1/inspection-plans", params={"product_sku": "BIKE"})
    assert listed.json()["total"] == 1
    order_id = await released_order(production)

    blocked = await production.post(
        f"/api/v1/orders/{order_id}/complete", json={"good_quantity": 4}
    )
    assert blocked.status_code == 409
    assert "inspection" in blocked.json()["detail"]

    failed = await inspect(
        production,
        order_id,
        result="fail",
        lot="L7",
        measurements=[{"characteristic": "wheel_true", "value": "0.8"}],
        defects=[{"code": "SCRATCH", "count": 3}, {"code": "DENT", "count": 1}],
    )
    assert failed.status_code == 201, failed.text
    assert failed.json()["attempt"] == 1
    assert failed.json()["measurements"] == [
        {"characteristic": "wheel_true", "value": "0.8", "within_limits": False}
    ]
    still = await production.post(f"/api/v1/orders/{order_id}/complete", json={"good_quantity": 4})
    assert still.status_code == 409

    passed = await inspect(
        production,
        order_id,
        result="pass",
        lot="L7",
        measurements=[{"characteristic": "wheel_true", "value": "0.2"}],
        defects=[{"code": "SCRATCH", "count": 1}],
    )
    assert passed.json()["attempt"] == 2
    done = await production.post(f"/api/v1/orders/{order_id}/complete", json={"good_quantity": 4})
    assert done.status_code == 200, done.text

    no_plan = await released_order(production, "CART")
    cart = await production.post(f"/api/v1/orders/{no_plan}/complete", json={"good_quantity": 4})
    assert cart.status_code == 200, cart.text

    events = await published(production, "production.inspection.recorded")
    assert [(e["result"], e["lot"], e["attempt"]) for e in events] == [
        ("fail", "L7", 1),
        ("pass", "L7", 2),
    ]
    assert events[0]["defects"] == [{"code": "DENT", "count": 1}, {"code": "SCRATCH", "count": 3}]
    assert events[0]["product_sku"] == "BIKE"
    history = await production.get("/api/v1/inspections", params={"order_id": order_id})
    assert history.json()["total"] == 2


async def test_inconsistent_inspections_are_refused(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await with_products(production)
    await production.post("/api/v1/inspection-plans", json=PLAN)
    order_id = await released_order(production)

    outside = await inspect(
        production,
        order_id,
        result="pass",
        measurements=[{"characteristic": "weight", "value": 15}],
    )
    assert outside.status_code == 422
    assert outside.json()["out_of_limits"] == ["weight"]
    stranger = await inspect(
        production, order_id, result="fail", measurements=[{"characteristic": "color", "value": 1}]
    )
    assert stranger.status_code == 422
    assert stranger.json()["unknown_characteristics"] == ["color"]
    assert (await inspect(production, "nope", result="pass")).status_code == 422
    planned = await production.post(
        "/api/v1/orders", json={"product_sku": "BIKE", "quantity": 1, "due_date": "2026-12-10"}
    )
    too_early = await inspect(production, planned.json()["id"], result="pass")
    assert too_early.status_code == 409
    bad_plan = await production.post(
        "/api/v1/inspection-plans",
        json={**PLAN, "characteristics": [{"name": "x", "lower_limit": 2, "upper_limit": 1}]},
    )
    assert bad_plan.status_code == 422
    assert await published(production, "production.inspection.recorded") == []


async def test_quality_report_gives_first_pass_yield_and_defect_pareto(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await with_products(production)
    first, second, third = [await released_order(production) for _ in range(3)]
    cart = await released_order(production, "CART")
    await inspect(production, first, result="fail", defects=[{"code": "SCRATCH", "count": 4}])
    await inspect(production, first, result="pass")
    await inspect(production, second, result="pass", defects=[{"code": "DENT", "count": 1}])
    await inspect(production, third, result="pass")
    await inspect(production, cart, result="fail", defects=[{"code": "DENT", "count": 3}])

    report = (await production.get("/api/v1/reports/quality")).json()
    assert report["products"] == [
        {
            "product_sku": "BIKE",
            "orders_inspected": 3,
            "passed_first_time": 2,
            "first_pass_yield": "0.666667",
            "inspections": 4,
            "failed_inspections": 1,
        },
        {
            "product_sku": "CART",
            "orders_inspected": 1,
            "passed_first_time": 0,
            "first_pass_yield": "0",
            "inspections": 1,
            "failed_inspections": 1,
        },
    ]
    assert report["defects"] == [
        {"code": "DENT", "count": 4, "share": "0.5", "cumulative_share": "0.5"},
        {"code": "SCRATCH", "count": 4, "share": "0.5", "cumulative_share": "1"},
    ]
    bikes = (await production.get("/api/v1/reports/quality", params={"product_sku": "CART"})).json()
    assert [p["product_sku"] for p in bikes["products"]] == ["CART"]
    assert bikes["defects"] == [{"code": "DENT", "count": 3, "share": "1", "cumulative_share": "1"}]
