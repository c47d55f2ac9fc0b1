"""MRP counts every kind of supply, shows it side by side per sku, and names orders by number."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from sqlalchemy import select

from services.production.mrp.models import (
    DeliveryLineView,
    ProposedPurchaseLineView,
    PurchaseLineView,
)
from services.production.tests.test_mrp_runs import PurchaseOrderPlaced, day, seed
from shared.db import new_id
from shared.events import DomainEvent
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually


class NumberedDeliveryOrderCreated(DomainEvent):
    event_type: ClassVar[str] = "logistics.delivery_order.created"
    delivery_order_id: str
    number: str
    customer: str = "ACME"
    ship_to: str = "Dock 1"
    due_date: date
    lines: list[dict[str, Any]]


class PurchaseOrderProposed(DomainEvent):
    event_type: ClassVar[str] = "logistics.purchase_order.proposed"
    purchase_order_id: str
    number: str
    supplier: str
    expected_date: date | None
    origin: str = "replenishment"
    lines: list[dict[str, Any]]


async def wheels_wanted(production: ServiceClient) -> None:
    """100 wheels due in 14 days on DO-0000A; 20 on a placed PO, 50 on a proposed draft."""
    await seed(production, WHEEL=21)
    await produce(
        production,
        "logistics",
        [
            (
                NumberedDeliveryOrderCreated(
                    delivery_order_id="do-uuid-1",
                    number="DO-0000A",
                    due_date=date.fromisoformat(day(14)),
                    lines=[{"sku": "WHEEL", "quantity": "100"}],
                ),
                "do-uuid-1",
                new_id(),
                1,
            ),
            (
                PurchaseOrderPlaced(
                    purchase_order_id="po-uuid-1",
                    number="PO-0000B",
                    supplier="RIMS",
                    expected_date=date.fromisoformat(day(5)),
                    lines=[{"sku": "WHEEL", "quantity": "20", "unit_price": "3"}],
                ),
                "po-uuid-1",
                new_id(),
                1,
            ),
            (
                PurchaseOrderProposed(
                    purchase_order_id="po-uuid-2",
                    number="PO-0000C",
                    supplier="RIMS",
                    expected_date=date.fromisoformat(day(9)),
                    lines=[{"sku": "WHEEL", "quantity": "50", "unit_price": "3"}],
                ),
                "po-uuid-2",
                new_id(),
                1,
            ),
        ],
    )

    async def seen() -> bool:
        async with production.app.state.database.transaction() as session:
            return (
                await session.get(DeliveryLineView, ("do-uuid-1", "WHEEL")) is not None
                and await session.get(PurchaseLineView, ("po-uuid-1", "WHEEL")) is not None
                and await session.get(ProposedPurchaseLineView, ("po-uuid-2", "WHEEL")) is not None
            )

    await eventually(seen, timeout=30)


async def test_a_proposed_draft_is_counted_so_the_same_need_is_not_proposed_twice(
    stack: Stack,
) -> None:
    (production,) = await stack.start("production")
    await wheels_wanted(production)

    run = (
        await production.post("/api/v1/mrp/runs", json={"horizon_days": 30, "bucket": "day"})
    ).json()
    # 100 wanted, 20 ordered, 50 proposed: 30 to buy, three weeks to get them, so late already.
    [planned] = run["planned_orders"]
    assert (planned["sku"], planned["quantity"], planned["pegged_to"]) == (
        "WHEEL",
        "30",
        ["do-uuid-1"],
    )
    assert run["supply"] == [
        {
            "sku": "WHEEL",
            "on_hand": "0",
            "allocated": "0",
            "open_purchase_orders": "20",
            "proposed_purchase_orders": "50",
            "open_production_orders": "0",
            "firmed_orders": "0",
            "planned_orders": "30",
            "orders": ["PO-0000B", "PO-0000C"],
        }
    ]
    [late] = run["exceptions"]
    assert (late["kind"], late["for_orders"], late["order_number"]) == ("late", ["DO-0000A"], None)
    assert (await production.get(f"/api/v1/mrp/runs/{run['id']}")).json() == run

    # The draft placed: it counts once, as a purchase order, no longer as a proposal.
    placed = PurchaseOrderPlaced(
        purchase_order_id="po-uuid-2",
        number="PO-0000C",
        supplier="RIMS",
        expected_date=date.fromisoformat(day(9)),
        lines=[{"sku": "WHEEL", "quantity": "50", "unit_price": "3"}],
    )
    await produce(production, "logistics", [(placed, "po-uuid-2", new_id(), 2)])

    async def proposal_gone() -> bool:
        async with production.app.state.database.transaction() as session:
            left = await session.execute(select(ProposedPurchaseLineView))
            return not left.scalars().all()

    await eventually(proposal_gone, timeout=30)
    again = (
        await production.post("/api/v1/mrp/runs", json={"horizon_days": 30, "bucket": "day"})
    ).json()
    [wheels] = again["supply"]
    assert (wheels["open_purchase_orders"], wheels["proposed_purchase_orders"]) == ("70", "0")
    assert [p["quantity"] for p in again["planned_orders"]] == ["30"]


async def test_an_open_order_not_needed_is_named_by_its_number(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await seed(production, NUT=0)
    placed = PurchaseOrderPlaced(
        purchase_order_id="po-uuid-9",
        number="PO-0000N",
        supplier="FAST",
        expected_date=date.fromisoformat(day(3)),
        lines=[{"sku": "NUT", "quantity": "5", "unit_price": "1"}],
    )
    await produce(production, "logistics", [(placed, "po-uuid-9", new_id(), 1)])

    async def seen() -> bool:
        async with production.app.state.database.transaction() as session:
            return await session.get(PurchaseLineView, ("po-uuid-9", "NUT")) is not None

    await eventually(seen, timeout=30)
    run = (await production.post("/api/v1/mrp/runs", json={"horizon_days": 30})).json()
    [cancel] = run["exceptions"]
    assert (cancel["kind"], cancel["open_order"], cancel["order_number"]) == (
        "cancel",
        "purchase-order:po-uuid-9",
        "PO-0000N",
    )
