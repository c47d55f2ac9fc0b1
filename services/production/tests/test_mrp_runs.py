"""MRP over HTTP: runs plan from the views of stock and open orders, pegging, firming, forecasts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import select

from services.production.catalog.models import KnownItem, KnownStock
from services.production.mrp.models import DeliveryLineView, PurchaseLineView
from services.production.tests.catalog_seed import published
from shared.db import new_id, utcnow
from shared.events import DomainEvent
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually


class StockChanged(DomainEvent):
    event_type: ClassVar[str] = "inventory.stock.changed"
    sku: str
    on_hand: str
    reserved: str
    on_hold: str
    available: str
    average_cost: str = "1"
    by_warehouse: list[dict[str, Any]] = []


class DeliveryOrderCreated(DomainEvent):
    event_type: ClassVar[str] = "logistics.delivery_order.created"
    delivery_order_id: str
    customer: str = "ACME"
    ship_to: str = "Dock 1"
    due_date: date
    lines: list[dict[str, Any]]


class ShipmentDispatched(DomainEvent):
    event_type: ClassVar[str] = "logistics.shipment.dispatched"
    shipment_id: str
    delivery_order_id: str
    carrier: str | None = None
    tracking_number: str | None = None
    lines: list[dict[str, Any]]
    dispatched_at: str = "2026-01-01T00:00:00Z"


class PurchaseOrderPlaced(DomainEvent):
    event_type: ClassVar[str] = "logistics.purchase_order.placed"
    purchase_order_id: str
    number: str
    supplier: str
    expected_date: date | None
    lines: list[dict[str, Any]]


def day(n: int) -> str:
    return (utcnow().date() + timedelta(days=n)).isoformat()


async def seed(production: ServiceClient, **lead_times: int) -> None:
    """Items as inventory would announce them, with their lead times."""
    async with production.app.state.database.transaction() as session:
        for sku, lead in lead_times.items():
            session.add(
                KnownItem(
                    sku=sku,
                    name=sku,
                    uom="ea",
                    kind="component",
                    standard_cost=Decimal(1),
                    lead_time_days=lead,
                    safety_stock=Decimal(0),
                    reorder_point=Decimal(0),
                    reorder_quantity=Decimal(0),
                    lot_tracked=False,
                    source_sequence=1,
                )
            )


async def bom(production: ServiceClient, product: str, *lines: tuple[str, str, str]) -> None:
    response = await production.post(
        "/api/v1/boms",
        json={
            "product_sku": product,
            "effective_from": "2020-01-01",
            "components": [{"sku": s, "quantity": q, "scrap_factor": f} for s, q, f in lines],
        },
    )
    assert response.status_code == 201, response.text


async def bike_shop(production: ServiceClient) -> str:
    """BIKE = 2 WHEEL (5 % scrap) + FRAME; FRAME = 3 TUBE. Stock, an order, a purchase, a forecast."""
    await seed(production, BIKE=7, WHEEL=3, FRAME=7, TUBE=10)
    await bom(production, "BIKE", ("WHEEL", "2", "0.05"), ("FRAME", "1", "0"))
    await bom(production, "FRAME", ("TUBE", "3", "0"))
    order = f"DO-{new_id()[:8]}"
    await produce(
        production,
        "inventory",
        [
            (
                StockChanged(sku="WHEEL", on_hand="6", reserved="1", on_hold="1", available="4"),
                "WHEEL",
                new_id(),
                1,
            )
        ],
    )
    await produce(
        production,
        "logistics",
        [
            (
                DeliveryOrderCreated(
                    delivery_order_id=order,
                    due_date=date.fromisoformat(day(21)),
                    lines=[{"sku": "BIKE", "quantity": "10"}],
                ),
                order,
                new_id(),
                1,
            ),
            (
                PurchaseOrderPlaced(
                    purchase_order_id="PO-1",
                    number="PO-0001",
                    supplier="STEEL",
                    expected_date=date.fromisoformat(day(7)),
                    lines=[{"sku": "TUBE", "quantity": "12", "unit_price": "4"}],
                ),
                "PO-1",
                new_id(),
                1,
            ),
        ],
    )

    async def views_ready() -> bool:
        async with production.app.state.database.transaction() as session:
            return (
                await session.get(KnownStock, "WHEEL") is not None
                and await session.get(DeliveryLineView, (order, "BIKE")) is not None
                and await session.get(PurchaseLineView, ("PO-1", "TUBE")) is not None
            )

    await eventually(views_ready, timeout=30)
    return order


def lines(run: dict[str, Any]) -> list[tuple[str, str, str, str, str, list[str]]]:
    return [
        (p["sku"], p["kind"], p["quantity"], p["release_date"], p["due_date"], p["pegged_to"])
        for p in run["planned_orders"]
    ]


async def test_a_run_plans_every_level_from_orders_stock_and_open_purchases(stack: Stack) -> None:
    (production,) = await stack.start("production")
    order = await bike_shop(production)
    forecast = await production.post(
        "/api/v1/forecasts", json={"sku": "BIKE", "date": day(28), "quantity": "4"}
    )
    assert forecast.status_code == 201, forecast.text
    expected = f"forecast:{forecast.json()['id']}"

    response = await production.post("/api/v1/mrp/runs", json={"horizon_days": 42})
    assert response.status_code == 201, response.text
    run = response.json()
    assert response.headers["Location"] == f"/api/v1/mrp/runs/{run['id']}"
    # BIKE: 10 for the order (wk3), 4 for the forecast (wk4), a week to make.
    # FRAME: 10 and 4 when the bikes start. WHEEL: 2 x 1.05 = 2.1 a bike; 21 - 4 free = 17, then 8.4.
    # TUBE: 3 a frame; wk1 30 - 12 on order = 18, ten days to buy: released 3 days ago (late); wk2 12.
    assert lines(run) == [
        ("BIKE", "make", "10", day(14), day(21), [order]),
        ("BIKE", "make", "4", day(21), day(28), [expected]),
        ("FRAME", "make", "10", day(7), day(14), [order]),
        ("FRAME", "make", "4", day(14), day(21), [expected]),
        ("WHEEL", "buy", "17", day(11), day(14), [order]),
        ("WHEEL", "buy", "8.4", day(18), day(21), [expected]),
        ("TUBE", "buy", "18", day(-3), day(7), [order]),
        ("TUBE", "buy", "12", day(4), day(14), [expected]),
    ]
    tube = run["planned_orders"][6]
    assert run["exceptions"] == [
        {
            "kind": "late",
            "sku": "TUBE",
            "date": day(-3),
            "needed_date": day(7),
            "quantity": "18",
            "planned_order_id": tube["id"],
            "open_order": None,
            "order_number": None,
            "for_orders": [order],
        }
    ]
    assert (await production.get(f"/api/v1/mrp/runs/{run['id']}")).json() == run

    (event,) = await published(production, "production.mrp.completed")
    assert event["run_id"] == run["id"] and event["horizon_days"] == 42
    assert [
        (p["planned_order_id"], p["kind"], p["sku"], p["quantity"], p["due_date"], p["pegged_to"])
        for p in event["planned_orders"]
    ] == [
        (p["id"], p["kind"], p["sku"], p["quantity"], p["due_date"], p["pegged_to"])
        for p in run["planned_orders"]
    ]

    # Firmed, the late tube order is supply for the next run; the first bike order becomes a
    # production order: supply for the bikes, and (not yet released) demand for its components.
    firmed = await production.post(f"/api/v1/mrp/planned-orders/{tube['id']}/firm")
    assert firmed.status_code == 200, firmed.text
    assert (firmed.json()["status"], firmed.json()["production_order_id"]) == ("firmed", None)
    again = await production.post(f"/api/v1/mrp/planned-orders/{tube['id']}/firm")
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    bike = run["planned_orders"][0]
    made = (await production.post(f"/api/v1/mrp/planned-orders/{bike['id']}/firm")).json()
    assert made["status"] == "firmed"
    production_order = (
        await production.get(f"/api/v1/orders/{made['production_order_id']}")
    ).json()
    assert (production_order["product_sku"], production_order["quantity"]) == ("BIKE", "10")
    assert (production_order["status"], production_order["due_date"]) == ("planned", day(21))

    second = (await production.post("/api/v1/mrp/runs", json={"horizon_days": 42})).json()
    by_order = [f"production-order:{made['production_order_id']}"]
    assert lines(second) == [
        ("BIKE", "make", "4", day(21), day(28), [expected]),
        ("FRAME", "make", "10", day(7), day(14), by_order),
        ("FRAME", "make", "4", day(14), day(21), [expected]),
        ("WHEEL", "buy", "17", day(11), day(14), by_order),
        ("WHEEL", "buy", "8.4", day(18), day(21), [expected]),
        ("TUBE", "buy", "12", day(4), day(14), [expected]),
    ]
    assert second["exceptions"] == []


async def test_shipped_orders_and_received_purchases_leave_the_plan(stack: Stack) -> None:
    (production,) = await stack.start("production")
    order = await bike_shop(production)
    await produce(
        production,
        "logistics",
        [
            (
                ShipmentDispatched(
                    shipment_id="SH-1",
                    delivery_order_id=order,
                    lines=[{"sku": "BIKE", "quantity": "10"}],
                ),
                "SH-1",
                new_id(),
                1,
            )
        ],
    )

    async def shipped() -> bool:
        async with production.app.state.database.transaction() as session:
            row = await session.get(DeliveryLineView, (order, "BIKE"))
            return row is not None and row.shipped == Decimal(10)

    await eventually(shipped, timeout=30)
    run = (
        await production.post("/api/v1/mrp/runs", json={"horizon_days": 42, "bucket": "day"})
    ).json()
    # Nothing to make or buy; the purchase order nothing needs is to be cancelled.
    assert run["planned_orders"] == []
    assert [(e["kind"], e["sku"], e["date"], e["open_order"]) for e in run["exceptions"]] == [
        ("cancel", "TUBE", day(7), "purchase-order:PO-1")
    ]
    async with production.app.state.database.transaction() as session:
        views = (await session.execute(select(DeliveryLineView))).scalars().all()
        assert [(v.ordered, v.shipped) for v in views] == [(Decimal(10), Decimal(10))]


async def test_forecasts_are_listed_and_bad_requests_are_problems(stack: Stack) -> None:
    (production,) = await stack.start("production")
    for sku, when in (("B", day(3)), ("A", day(5)), ("A", day(1))):
        created = await production.post(
            "/api/v1/forecasts", json={"sku": sku, "date": when, "quantity": "2.5"}
        )
        assert created.status_code == 201, created.text
    listed = (await production.get("/api/v1/forecasts", params={"sku": "A"})).json()
    assert [(f["date"], f["quantity"]) for f in listed["items"]] == [
        (day(1), "2.5"),
        (day(5), "2.5"),
    ]
    assert listed["total"] == 2
    bad = await production.post(
        "/api/v1/forecasts", json={"sku": "A", "date": day(1), "quantity": "0"}
    )
    assert bad.status_code == 422
    assert (await production.post("/api/v1/mrp/runs", json={"horizon_days": 0})).status_code == 422
    assert (
        await production.post("/api/v1/mrp/runs", json={"horizon_days": 7, "bucket": "month"})
    ).status_code == 422
    assert (await production.get("/api/v1/mrp/runs/nope")).status_code == 404
    assert (await production.post("/api/v1/mrp/planned-orders/nope/firm")).status_code == 404
    # Forecasts alone are demand: this week's two for A make one order, pegged to both.
    planned = await production.post("/api/v1/mrp/runs", json={"horizon_days": 7})
    assert planned.status_code == 201
    assert [
        (p["sku"], p["quantity"], len(p["pegged_to"])) for p in planned.json()["planned_orders"]
    ] == [
        ("A", "5", 2),
        ("B", "2.5", 1),
    ]
    runs = (await production.get("/api/v1/mrp/runs")).json()
    assert [r["id"] for r in runs["items"]] == [planned.json()["id"]]


class ReservationConfirmed(DomainEvent):
    event_type: ClassVar[str] = "inventory.reservation.confirmed"
    reservation_id: str
    reference: str
    lines: list[dict[str, Any]]


class ReservationReleased(DomainEvent):
    event_type: ClassVar[str] = "inventory.reservation.released"
    reservation_id: str
    reference: str


async def test_stock_reserved_for_a_delivery_is_not_counted_twice(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await seed(production, CUP=0)
    await produce(
        production,
        "inventory",
        [
            (
                StockChanged(sku="CUP", on_hand="5", reserved="5", on_hold="0", available="0"),
                "CUP",
                new_id(),
                1,
            ),
            (
                ReservationConfirmed(
                    reservation_id="R1",
                    reference="DO-CUPS",
                    lines=[{"sku": "CUP", "quantity": "5", "warehouse": "MAIN"}],
                ),
                "R1",
                new_id(),
                1,
            ),
        ],
    )
    created = DeliveryOrderCreated(
        delivery_order_id="DO-CUPS",
        due_date=date.fromisoformat(day(7)),
        lines=[{"sku": "CUP", "quantity": "5"}],
    )
    await produce(production, "logistics", [(created, "DO-CUPS", new_id(), 1)])

    async def line() -> DeliveryLineView | None:
        async with production.app.state.database.transaction() as session:
            row = await session.get(DeliveryLineView, ("DO-CUPS", "CUP"))
            ready = row is not None and row.ordered is not None and row.reserved == 5
            return row if ready and await session.get(KnownStock, "CUP") else None

    await eventually(line, timeout=30)
    # The 5 reserved for the order are the order's: nothing to buy.
    run = (await production.post("/api/v1/mrp/runs", json={"horizon_days": 14})).json()
    assert run["planned_orders"] == []

    await produce(
        production,
        "inventory",
        [(ReservationReleased(reservation_id="R1", reference="DO-CUPS"), "R1", new_id(), 2)],
    )

    async def released() -> bool:
        async with production.app.state.database.transaction() as session:
            row = await session.get(DeliveryLineView, ("DO-CUPS", "CUP"))
            return row is not None and row.reserved == 0

    await eventually(released, timeout=30)
    # Released (inventory has not yet said the stock is free again): the order is demand again.
    run = (await production.post("/api/v1/mrp/runs", json={"horizon_days": 14})).json()
    assert [(p["sku"], p["quantity"], p["pegged_to"]) for p in run["planned_orders"]] == [
        ("CUP", "5", ["DO-CUPS"])
    ]


async def test_planned_orders_take_the_components_of_the_bom_effective_on_their_due_date(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    await seed(production, KIT=0, OLDPART=0, NEWPART=0)
    await bom(production, "KIT", ("OLDPART", "2", "0"))
    changed = await production.post(
        "/api/v1/boms",
        json={
            "product_sku": "KIT",
            "effective_from": day(10),
            "components": [{"sku": "NEWPART", "quantity": "3", "scrap_factor": "0"}],
        },
    )
    assert changed.status_code == 201, changed.text
    ids = {}
    for due in (5, 20):
        created = await production.post(
            "/api/v1/orders",
            json={"product_sku": "KIT", "quantity": "4", "due_date": day(due)},
        )
        assert created.status_code == 201, created.text
        ids[due] = f"production-order:{created.json()['id']}"

    run = (await production.post("/api/v1/mrp/runs", json={"horizon_days": 30})).json()
    assert sorted((p["sku"], p["quantity"], p["pegged_to"]) for p in run["planned_orders"]) == [
        ("NEWPART", "12", [ids[20]]),
        ("OLDPART", "8", [ids[5]]),
    ]


async def test_purchase_orders_placed_cover_firmed_buy_orders_so_supply_is_not_counted_twice(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    await seed(production, BOLT=0)
    demand = DeliveryOrderCreated(
        delivery_order_id="DO-BOLTS",
        due_date=date.fromisoformat(day(10)),
        lines=[{"sku": "BOLT", "quantity": "10"}],
    )
    await produce(production, "logistics", [(demand, "DO-BOLTS", new_id(), 1)])

    async def demand_seen() -> bool:
        async with production.app.state.database.transaction() as session:
            row = await session.get(DeliveryLineView, ("DO-BOLTS", "BOLT"))
            return row is not None and row.ordered is not None

    await eventually(demand_seen, timeout=30)
    run = (await production.post("/api/v1/mrp/runs", json={"horizon_days": 30})).json()
    (buy,) = run["planned_orders"]
    firmed = (await production.post(f"/api/v1/mrp/planned-orders/{buy['id']}/firm")).json()
    assert (firmed["status"], firmed["ordered_quantity"]) == ("firmed", "0")

    async def place(order_id: str, quantity: str, version: int) -> None:
        placed = PurchaseOrderPlaced(
            purchase_order_id=order_id,
            number=order_id,
            supplier="FAST",
            expected_date=date.fromisoformat(day(9)),
            lines=[{"sku": "BOLT", "quantity": quantity, "unit_price": "1"}],
        )
        await produce(production, "logistics", [(placed, order_id, new_id(), version)])

    async def covered(quantity: str) -> dict[str, Any] | None:
        stored = (await production.get(f"/api/v1/mrp/runs/{run['id']}")).json()
        (row,) = stored["planned_orders"]
        return row if row["ordered_quantity"] == quantity else None

    # Part of it ordered: the firmed rest and the purchase order together meet the need.
    await place("PO-B1", "4", 1)
    partly = await eventually(lambda: covered("4"), timeout=30)
    assert (partly["status"], partly["purchase_order_ids"]) == ("firmed", ["PO-B1"])
    again = (await production.post("/api/v1/mrp/runs", json={"horizon_days": 30})).json()
    assert (again["planned_orders"], again["exceptions"]) == ([], [])

    # All of it ordered: the firmed order is done; counted twice, 6 would show as excess.
    await place("PO-B2", "6", 1)
    whole = await eventually(lambda: covered("10"), timeout=30)
    assert (whole["status"], whole["purchase_order_ids"]) == ("ordered", ["PO-B1", "PO-B2"])
    last = (await production.post("/api/v1/mrp/runs", json={"horizon_days": 30})).json()
    assert (last["planned_orders"], last["exceptions"]) == ([], [])
