"""Suppliers, carriers, purchase orders and receipts over HTTP, and the events they publish."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from shared.testing.stack import ServiceClient, Stack

ORDER = {
    "supplier": "ACME",
    "lines": [
        {"sku": "TUBE", "quantity": "100", "unit_price": "3.20"},
        {"sku": "BOLT", "quantity": "50", "unit_price": "0.1"},
    ],
    "expected_date": "2026-12-01",
}


async def published(client: ServiceClient, event_type: str) -> list[dict[str, Any]]:
    """The data of the events of a type the service recorded in its outbox, oldest first."""
    async with client.app.state.database.transaction() as session:
        rows = await session.execute(
            text("SELECT envelope FROM outbox WHERE event_type = :t ORDER BY id"), {"t": event_type}
        )
        return [json.loads(r[0])["data"] for r in rows]


async def with_supplier(logistics: ServiceClient) -> None:
    created = await logistics.post(
        "/api/v1/suppliers", json={"code": "ACME", "name": "Acme", "lead_time_days": 7}
    )
    assert created.status_code == 201, created.text


async def test_supplier_items_carry_price_and_minimum_and_one_preferred_supplier_per_sku(
    sqlite_stack: Stack,
) -> None:
    (logistics,) = await sqlite_stack.start("logistics")
    await with_supplier(logistics)
    await logistics.post("/api/v1/suppliers", json={"code": "BETA", "name": "Beta"})
    assert (
        await logistics.post("/api/v1/suppliers", json={"code": "ACME", "name": "x"})
    ).status_code == 409
    put = await logistics.put(
        "/api/v1/suppliers/ACME/items",
        json={
            "items": [
                {"sku": "TUBE", "unit_price": "3.2", "minimum_quantity": "100", "preferred": True}
            ]
        },
    )
    assert put.status_code == 200, put.text
    await logistics.put(
        "/api/v1/suppliers/BETA/items",
        json={"items": [{"sku": "TUBE", "unit_price": "3", "preferred": True}]},
    )
    acme = (await logistics.get("/api/v1/suppliers/ACME/items")).json()
    assert acme == [
        {
            "sku": "TUBE",
            "unit_price": "3.2",
            "minimum_quantity": "100",
            "preferred": False,
            "supplier": "ACME",
        }
    ]
    assert (await logistics.get("/api/v1/suppliers/BETA/items")).json()[0]["preferred"] is True
    assert (
        await logistics.post("/api/v1/carriers", json={"code": "DHL", "name": "DHL"})
    ).status_code == 201
    assert (await logistics.get("/api/v1/carriers")).json()["total"] == 1


async def test_posted_purchase_order_is_placed_and_announced(stack: Stack) -> None:
    (logistics,) = await stack.start("logistics")
    await with_supplier(logistics)
    created = await logistics.post("/api/v1/purchase-orders", json=ORDER)
    assert created.status_code == 201, created.text
    order = created.json()
    assert order["status"] == "placed" and order["number"].startswith("PO-")
    [placed] = await published(logistics, "logistics.purchase_order.placed")
    assert placed == {
        "purchase_order_id": order["id"],
        "number": order["number"],
        "supplier": "ACME",
        "expected_date": "2026-12-01",
        "lines": [
            {"sku": "TUBE", "quantity": "100", "unit_price": "3.2"},
            {"sku": "BOLT", "quantity": "50", "unit_price": "0.1"},
        ],
    }


async def test_unknown_supplier_is_not_found(sqlite_stack: Stack) -> None:
    (logistics,) = await sqlite_stack.start("logistics")
    assert (await logistics.post("/api/v1/purchase-orders", json=ORDER)).status_code == 404


async def test_draft_is_edited_with_if_match_and_placed_later_but_not_edited_after(
    sqlite_stack: Stack,
) -> None:
    (logistics,) = await sqlite_stack.start("logistics")
    await with_supplier(logistics)
    draft = (
        await logistics.post("/api/v1/purchase-orders", json={**ORDER, "status": "draft"})
    ).json()
    assert draft["status"] == "draft"
    assert await published(logistics, "logistics.purchase_order.placed") == []
    url = f"/api/v1/purchase-orders/{draft['id']}"
    lines = {"lines": [{"sku": "TUBE", "quantity": "120", "unit_price": "3"}]}
    assert (await logistics.patch(url, json=lines, headers={"If-Match": '"9"'})).status_code == 412
    edited = await logistics.patch(url, json=lines, headers={"If-Match": '"1"'})
    assert edited.status_code == 200, edited.text
    assert [li["quantity"] for li in edited.json()["lines"]] == ["120"]
    placed = await logistics.post(f"{url}/place")
    assert placed.status_code == 200 and placed.json()["status"] == "placed"
    assert (
        await logistics.patch(url, json=lines, headers={"If-Match": placed.headers["etag"]})
    ).status_code == 409
    assert (await logistics.post(f"{url}/place")).status_code == 409
    [event] = await published(logistics, "logistics.purchase_order.placed")
    assert event["lines"] == [{"sku": "TUBE", "quantity": "120", "unit_price": "3"}]
    listed = (await logistics.get("/api/v1/purchase-orders", params={"status": "placed"})).json()
    assert listed["total"] == 1


async def test_receipts_in_two_parts_each_publish_one_event_and_complete_the_order(
    stack: Stack,
) -> None:
    (logistics,) = await stack.start("logistics")
    await with_supplier(logistics)
    order = (await logistics.post("/api/v1/purchase-orders", json=ORDER)).json()
    url = f"/api/v1/purchase-orders/{order['id']}"
    first = await logistics.post(
        f"{url}/receive",
        json={"warehouse": "MAIN", "lines": [{"sku": "TUBE", "quantity": "60", "lot": "L1"}]},
    )
    assert first.status_code == 200, first.text
    assert first.json()["purchase_order"]["status"] == "partially_received"
    second = await logistics.post(
        f"{url}/receive",
        json={
            "warehouse": "MAIN",
            "lines": [
                {"sku": "TUBE", "quantity": "40", "lot": "L2"},
                {"sku": "BOLT", "quantity": "52"},
            ],
        },
    )
    assert second.status_code == 200, second.text
    assert second.json()["purchase_order"]["status"] == "received"
    events = await published(logistics, "logistics.purchase_order.received")
    assert [e["receipt_id"] for e in events] == [
        first.json()["receipt"]["id"],
        second.json()["receipt"]["id"],
    ]
    assert events[0]["lines"] == [
        {"sku": "TUBE", "quantity": "60", "lot": "L1", "unit_price": "3.2"}
    ]
    assert [e["status"] for e in events] == ["partially_received", "received"]
    assert events[1]["warehouse"] == "MAIN"
    assert len((await logistics.get(f"{url}/receipts")).json()) == 2


async def test_over_receipt_beyond_tolerance_and_unknown_skus_are_refused(
    sqlite_stack: Stack,
) -> None:
    (logistics,) = await sqlite_stack.start("logistics")
    await with_supplier(logistics)
    order = (await logistics.post("/api/v1/purchase-orders", json=ORDER)).json()
    url = f"/api/v1/purchase-orders/{order['id']}/receive"
    over = await logistics.post(
        url, json={"warehouse": "MAIN", "lines": [{"sku": "TUBE", "quantity": "105.01"}]}
    )
    assert over.status_code == 422 and over.json()["over_receipts"][0]["sku"] == "TUBE"
    unknown = await logistics.post(
        url, json={"warehouse": "MAIN", "lines": [{"sku": "NUT", "quantity": "1"}]}
    )
    assert unknown.status_code == 422 and unknown.json()["unknown_skus"] == ["NUT"]
    assert await published(logistics, "logistics.purchase_order.received") == []
    within = await logistics.post(
        url, json={"warehouse": "MAIN", "lines": [{"sku": "TUBE", "quantity": "105"}]}
    )
    assert within.status_code == 200


async def test_cancel_and_close_follow_the_state_machine(sqlite_stack: Stack) -> None:
    (logistics,) = await sqlite_stack.start("logistics")
    await with_supplier(logistics)
    a = (await logistics.post("/api/v1/purchase-orders", json=ORDER)).json()
    cancelled = await logistics.post(
        f"/api/v1/purchase-orders/{a['id']}/cancel", json={"reason": "no longer needed"}
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    refused = await logistics.post(
        f"/api/v1/purchase-orders/{a['id']}/receive",
        json={"warehouse": "MAIN", "lines": [{"sku": "TUBE", "quantity": "1"}]},
    )
    assert refused.status_code == 409
    b = (await logistics.post("/api/v1/purchase-orders", json=ORDER)).json()
    await logistics.post(
        f"/api/v1/purchase-orders/{b['id']}/receive",
        json={"warehouse": "MAIN", "lines": [{"sku": "TUBE", "quantity": "1"}]},
    )
    assert (await logistics.post(f"/api/v1/purchase-orders/{b['id']}/cancel")).status_code == 409
    assert (await logistics.post(f"/api/v1/purchase-orders/{b['id']}/close")).json()[
        "status"
    ] == "closed"
    assert len(await published(logistics, "logistics.purchase_order.cancelled")) == 1
    assert [
        e["purchase_order_id"]
        for e in await published(logistics, "logistics.purchase_order.closed")
    ] == [b["id"]]


async def test_a_receipt_posted_twice_with_one_idempotency_key_is_recorded_once(
    sqlite_stack: Stack,
) -> None:
    (logistics,) = await sqlite_stack.start("logistics")
    await with_supplier(logistics)
    order = (await logistics.post("/api/v1/purchase-orders", json=ORDER)).json()
    url = f"/api/v1/purchase-orders/{order['id']}/receive"
    body = {"warehouse": "MAIN", "lines": [{"sku": "TUBE", "quantity": "60", "lot": "L1"}]}
    first = await logistics.post(url, json=body, headers={"Idempotency-Key": "dock-7-0001"})
    again = await logistics.post(url, json=body, headers={"Idempotency-Key": "dock-7-0001"})
    assert first.status_code == again.status_code == 200
    assert first.json()["receipt"]["id"] == again.json()["receipt"]["id"]
    assert len(await published(logistics, "logistics.purchase_order.received")) == 1
    assert len((await logistics.get(f"/api/v1/purchase-orders/{order['id']}/receipts")).json()) == 1
