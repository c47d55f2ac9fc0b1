"""Due dates typed as numbers are refused; dates and date-times are accepted."""

from __future__ import annotations

from services.production.tests.catalog_seed import seed_items, seed_work_centers
from shared.testing.stack import Stack


async def test_a_due_date_given_as_a_number_is_refused_and_creates_no_order(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "BIKE")
    for due in (0, 1764547200, "0"):
        response = await production.post(
            "/api/v1/orders", json={"product_sku": "BIKE", "quantity": "5", "due_date": due}
        )
        assert response.status_code == 422, response.text
        assert "not a date" in response.json()["detail"]
    assert (await production.get("/api/v1/orders")).json()["total"] == 0


async def test_a_due_date_given_as_a_date_time_is_that_day_at_the_plant(stack: Stack) -> None:
    (production,) = await stack.start("production", plant_timezone="America/New_York")
    await seed_items(production, "BIKE")
    response = await production.post(
        "/api/v1/orders",
        json={"product_sku": "BIKE", "quantity": "5", "due_date": "2026-12-16T02:00:00Z"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["due_date"] == "2026-12-15"


async def test_a_product_sku_in_the_wrong_case_is_refused_naming_the_right_one(
    stack: Stack,
) -> None:
    # Inventory is asked about the sku production has not heard of, and has no such item either.
    _, production = await stack.start("inventory", "production")
    await seed_items(production, "BIKE-CITY")
    response = await production.post(
        "/api/v1/orders",
        json={"product_sku": "bike-city", "quantity": "5", "due_date": "2026-12-20"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "Unknown sku 'bike-city'; did you mean 'BIKE-CITY'?"
    assert response.json()["unknown_skus"] == ["bike-city"]
    assert (await production.get("/api/v1/orders")).json()["total"] == 0


async def test_a_bom_component_in_the_wrong_case_is_refused_naming_the_right_one(
    stack: Stack,
) -> None:
    _, _, production = await stack.start("inventory", "operations", "production")
    await seed_items(production, "BIKE-CITY", "FRAME")
    response = await production.post(
        "/api/v1/boms",
        json={"product_sku": "BIKE-CITY", "components": [{"sku": "frame", "quantity": "1"}]},
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "Unknown sku 'frame'; did you mean 'FRAME'?"
    routing = await production.post(
        "/api/v1/routings",
        json={
            "product_sku": "bike-city",
            "operations": [
                {
                    "sequence": 10,
                    "work_center": "WELD",
                    "setup_minutes": 0,
                    "run_minutes_per_unit": 1,
                }
            ],
        },
    )
    assert routing.status_code == 422, routing.text
    assert "did you mean 'BIKE-CITY'?" in routing.json()["detail"]
    await seed_work_centers(production, "WELD")
    wrong_case = await production.post(
        "/api/v1/routings",
        json={
            "product_sku": "BIKE-CITY",
            "operations": [
                {
                    "sequence": 10,
                    "work_center": "weld",
                    "setup_minutes": 0,
                    "run_minutes_per_unit": 1,
                }
            ],
        },
    )
    assert wrong_case.status_code == 422, wrong_case.text
    assert wrong_case.json()["detail"] == "Unknown work center 'weld'; did you mean 'WELD'?"
