"""What the inventory tests share: items, movements and a look at the outbox."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from shared.testing.stack import ServiceClient


async def add_item(inventory: ServiceClient, sku: str, **fields: Any) -> None:
    """Create an item, failing the test if inventory refuses."""
    body = {"sku": sku, "name": sku.title(), "kind": "component", "standard_cost": "2"} | fields
    response = await inventory.post("/api/v1/items", json=body)
    assert response.status_code == 201, response.text


async def move(
    inventory: ServiceClient, kind: str, sku: str, quantity: str, **fields: Any
) -> dict[str, Any]:
    """Record a movement that must succeed; returns it."""
    response = await inventory.post(
        "/api/v1/movements", json={"kind": kind, "sku": sku, "quantity": quantity} | fields
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def stock(inventory: ServiceClient, sku: str) -> dict[str, Any]:
    """GET /api/v1/stock/{sku}."""
    response = await inventory.get(f"/api/v1/stock/{sku}")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def published(client: ServiceClient, event_type: str) -> list[dict[str, Any]]:
    """The envelopes of a type the service recorded in its outbox, oldest first."""
    async with client.app.state.database.transaction() as session:
        rows = await session.execute(
            text("SELECT envelope FROM outbox WHERE event_type = :t ORDER BY id"), {"t": event_type}
        )
        return [json.loads(r[0]) for r in rows]
