"""BOM versions, multi-level explosion, where-used and cycle refusal over HTTP."""

from __future__ import annotations

from services.production.tests.catalog_seed import published, seed_items
from shared.testing.stack import ServiceClient, Stack


async def post_bom(production: ServiceClient, product: str, *lines: tuple, **extra: object) -> dict:
    components = [
        {"sku": sku, "quantity": qty, **({"scrap_factor": scrap} if scrap else {})}
        for sku, qty, scrap in lines
    ]
    response = await production.post(
        "/api/v1/boms", json={"product_sku": product, "components": components, **extra}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_versions_apply_from_their_effective_date(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "BIKE", "WHEEL", "FRAME", "BELL")
    first = await post_bom(
        production, "BIKE", ("WHEEL", 2, None), effective_from="2026-01-01", output_quantity=1
    )
    second = await post_bom(
        production, "BIKE", ("WHEEL", 2, None), ("BELL", 1, None), effective_from="2099-01-01"
    )
    assert (first["version"], second["version"]) == (1, 2)
    assert second["effective_from"] == "2099-01-01"

    listed = (await production.get("/api/v1/boms", params={"product_sku": "BIKE"})).json()
    assert [b["version"] for b in listed["items"]] == [2, 1]
    assert (await production.get(f"/api/v1/boms/{first['id']}")).json()["version"] == 1
    assert (await production.get("/api/v1/boms/nope")).status_code == 404

    today = (await production.get("/api/v1/boms/BIKE/explosion", params={"quantity": 3})).json()
    assert today["version"] == 1
    assert [(x["sku"], x["quantity"]) for x in today["lines"]] == [("WHEEL", "6")]
    later = await production.get(
        "/api/v1/boms/BIKE/explosion", params={"quantity": 3, "on": "2099-06-01"}
    )
    assert later.json()["version"] == 2
    assert [x["sku"] for x in later.json()["lines"]] == ["WHEEL", "BELL"]
    before = await production.get("/api/v1/boms/BIKE/explosion", params={"on": "2025-01-01"})
    assert before.status_code == 404

    events = await published(production, "production.bom.published")
    assert [(e["version"], e["effective_from"]) for e in events] == [
        (1, "2026-01-01"),
        (2, "2099-01-01"),
    ]


async def test_multi_level_explosion_counts_scrap_and_where_used_climbs(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "BIKE", "WHEEL", "FRAME", "RIM", "SPOKE")
    await post_bom(production, "WHEEL", ("RIM", 2, None), ("SPOKE", 72, "0.05"), output_quantity=2)
    await post_bom(production, "BIKE", ("WHEEL", 2, "0.1"), ("FRAME", 1, None))

    exploded = await production.get("/api/v1/boms/BIKE/explosion", params={"quantity": "10"})
    assert exploded.status_code == 200, exploded.text
    lines = [(x["level"], x["sku"], x["quantity"], x["has_bom"]) for x in exploded.json()["lines"]]
    assert lines == [
        (1, "WHEEL", "22", True),
        (2, "RIM", "22", False),
        (2, "SPOKE", "831.6", False),
        (1, "FRAME", "10", False),
    ]

    used = (await production.get("/api/v1/items/SPOKE/where-used")).json()["used_in"]
    assert [(u["level"], u["parent_sku"], u["quantity_per"]) for u in used] == [
        (1, "WHEEL", "36"),
        (2, "BIKE", "2"),
    ]
    event = (await published(production, "production.bom.published"))[0]
    assert event["components"][1] == {"sku": "SPOKE", "quantity": "72", "scrap_factor": "0.05"}
    assert event["output_quantity"] == "2"


async def test_a_bom_that_would_contain_itself_is_refused_naming_the_path(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "A", "B", "C")
    await post_bom(production, "A", ("B", 1, None))
    await post_bom(production, "B", ("C", 1, None))

    looped = await production.post(
        "/api/v1/boms", json={"product_sku": "C", "components": [{"sku": "A", "quantity": 1}]}
    )
    assert looped.status_code == 422
    assert looped.json()["cycle"] == ["C", "A", "B", "C"]
    assert "C -> A -> B -> C" in looped.json()["detail"]

    itself = await production.post(
        "/api/v1/boms", json={"product_sku": "A", "components": [{"sku": "A", "quantity": 1}]}
    )
    assert itself.status_code == 422
    assert itself.json()["cycle"] == ["A", "A"]

    assert (await production.get("/api/v1/boms", params={"product_sku": "C"})).json()["total"] == 0


async def test_a_cycle_closed_only_by_a_future_version_is_refused_too(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await seed_items(production, "A", "B", "C")
    await post_bom(production, "B", ("C", 1, None))
    await post_bom(production, "A", ("B", 1, None), effective_from="2099-01-01")

    looped = await production.post(
        "/api/v1/boms", json={"product_sku": "C", "components": [{"sku": "A", "quantity": 1}]}
    )
    assert looped.status_code == 422, looped.text
    assert looped.json()["cycle"] == ["C", "A", "B", "C"]
