"""A production order across production and inventory over the real broker: release reserves the
components (or reports the shortages), completion issues them and receives the output, a
failed inspection puts the lot on hold, cancellation gives the reservation back, and a short order
asks again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from services.production.catalog.models import KnownItem
from shared.testing.stack import ServiceClient, Stack, eventually

ITEMS = {"BIKE": ("finished", "0"), "WHEEL": ("component", "12.5"), "FRAME": ("component", "80")}


async def knows(production: ServiceClient, sku: str) -> bool:
    async with production.app.state.database.transaction() as session:
        found = await session.execute(select(KnownItem.sku).where(KnownItem.sku == sku))
        return found.scalar_one_or_none() is not None


async def plant(inventory: ServiceClient, production: ServiceClient) -> None:
    """Items in inventory (and so in production), 100 wheels and 20 frames in stock, a BOM."""
    for sku, (kind, cost) in ITEMS.items():
        created = await inventory.post(
            "/api/v1/items", json={"sku": sku, "name": sku, "kind": kind, "standard_cost": cost}
        )
        assert created.status_code == 201, created.text
    for sku, quantity in (("WHEEL", "100"), ("FRAME", "20")):
        received = await inventory.post(
            "/api/v1/movements",
            json={
                "kind": "receipt",
                "sku": sku,
                "quantity": quantity,
                "warehouse": "MAIN",
                "unit_cost": ITEMS[sku][1],
            },
        )
        assert received.status_code == 201, received.text
    for sku in ITEMS:
        await eventually(lambda sku=sku: knows(production, sku))
    bom = await production.post(
        "/api/v1/boms",
        json={
            "product_sku": "BIKE",
            "components": [{"sku": "WHEEL", "quantity": 2}, {"sku": "FRAME", "quantity": 1}],
        },
    )
    assert bom.status_code == 201, bom.text


async def released_order(production: ServiceClient, quantity: str) -> str:
    created = await production.post(
        "/api/v1/orders",
        json={"product_sku": "BIKE", "quantity": quantity, "due_date": "2026-12-20"},
    )
    assert created.status_code == 201, created.text
    order_id: str = created.json()["id"]
    released = await production.post(f"/api/v1/orders/{order_id}/release")
    assert released.status_code == 200, released.text
    assert released.json()["materials_status"] == "pending"
    return order_id


async def materials(production: ServiceClient, order_id: str, wanted: str) -> dict[str, Any]:
    """The order once inventory has answered with `wanted`; a clear failure if it never does."""

    async def answered() -> dict[str, Any] | None:
        body = (await production.get(f"/api/v1/orders/{order_id}")).json()
        return body if body["materials_status"] == wanted else None

    try:
        result: dict[str, Any] = await eventually(answered, timeout=20)
    except AssertionError as exc:
        raise AssertionError(
            f"inventory never answered the release with materials_status={wanted!r}: does it "
            "reserve components on production.order.released and publish "
            f"inventory.reservation.confirmed/rejected? ({exc})"
        ) from exc
    return result


async def stock(inventory: ServiceClient, sku: str) -> dict[str, Decimal]:
    body = (await inventory.get(f"/api/v1/stock/{sku}")).json()
    return {k: Decimal(str(body.get(k, 0))) for k in ("on_hand", "reserved", "available")}


async def test_release_reserves_completion_moves_the_stock_and_a_failed_inspection_holds_the_lot(
    stack: Stack,
) -> None:
    inventory, production = await stack.start("inventory", "production")
    await plant(inventory, production)

    order_id = await released_order(production, "10")
    body = await materials(production, order_id, "reserved")
    assert body["reservation_id"]
    assert body["shortages"] == []
    assert await stock(inventory, "WHEEL") == {
        "on_hand": Decimal(100),
        "reserved": Decimal(20),
        "available": Decimal(80),
    }

    done = await production.post(
        f"/api/v1/orders/{order_id}/complete",
        json={"good_quantity": "9", "scrap_quantity": "1", "lot": "B-0001"},
    )
    assert done.status_code == 200, done.text
    # 20 wheels at 12.5 and 10 frames at 80 over 9 good bikes
    assert Decimal(done.json()["unit_cost"]) == Decimal("116.666667")

    async def moved() -> bool:
        return (await stock(inventory, "BIKE"))["on_hand"] == 9

    await eventually(moved, timeout=20)
    assert await stock(inventory, "WHEEL") == {
        "on_hand": Decimal(80),
        "reserved": Decimal(0),
        "available": Decimal(80),
    }
    assert (await stock(inventory, "FRAME"))["on_hand"] == 10
    ledger = (await inventory.get("/api/v1/movements", params={"sku": "WHEEL"})).json()
    rows = ledger["items"] if isinstance(ledger, dict) else ledger
    assert any(r["kind"] == "issue" and r.get("reference") == order_id for r in rows)

    failed = await production.post(
        "/api/v1/inspections",
        json={"order_id": order_id, "result": "fail", "defects": [{"code": "PAINT", "count": 2}]},
    )
    assert failed.status_code == 201, failed.text
    assert failed.json()["lot"] == "B-0001"

    async def held() -> list[dict[str, Any]]:
        holds = await inventory.get("/api/v1/holds", params={"sku": "BIKE", "lot": "B-0001"})
        items: list[dict[str, Any]] = holds.json()["items"]
        return items

    (hold,) = await eventually(held, timeout=20)
    assert Decimal(hold["quantity"]) == 9
    assert (await stock(inventory, "BIKE"))["available"] == 0


async def test_a_short_order_reports_its_shortages_and_asks_again_once_stock_came_in(
    stack: Stack,
) -> None:
    inventory, production = await stack.start("inventory", "production")
    await plant(inventory, production)

    short_id = await released_order(production, "30")
    body = await materials(production, short_id, "short")
    shortages = {s["sku"]: s for s in body["shortages"]}
    assert set(shortages) == {"FRAME"}
    assert Decimal(shortages["FRAME"]["requested"]) == 30
    assert Decimal(shortages["FRAME"]["available"]) == 20
    assert (await stock(inventory, "WHEEL"))["reserved"] == 0

    kept_id = await released_order(production, "5")
    await materials(production, kept_id, "reserved")
    assert (await stock(inventory, "FRAME"))["reserved"] == 5
    cancelled = await production.post(f"/api/v1/orders/{kept_id}/cancel", json={})
    assert cancelled.json()["status"] == "cancelled"

    async def freed() -> bool:
        return (await stock(inventory, "FRAME"))["reserved"] == 0

    await eventually(freed, timeout=20)
    assert (await stock(inventory, "FRAME"))["on_hand"] == 20

    received = await inventory.post(
        "/api/v1/movements",
        json={"kind": "receipt", "sku": "FRAME", "quantity": "10", "unit_cost": "80"},
    )
    assert received.status_code == 201, received.text
    again = await production.post(f"/api/v1/orders/{short_id}/reserve")
    assert again.status_code == 200, again.text
    assert (again.json()["materials_status"], again.json()["reservation_attempts"]) == (
        "pending",
        2,
    )
    body = await materials(production, short_id, "reserved")
    assert body["shortages"] == []
    assert (await stock(inventory, "FRAME"))["reserved"] == 30
