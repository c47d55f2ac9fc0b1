"""What the operations tests share: reading the outbox and seeding work centers."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from shared.testing.stack import ServiceClient


async def published(client: ServiceClient, event_type: str) -> list[dict[str, Any]]:
    """The data of the events of a type the service recorded in its outbox, oldest first."""
    async with client.app.state.database.transaction() as session:
        rows = await session.execute(
            text("SELECT envelope FROM outbox WHERE event_type = :t ORDER BY id"), {"t": event_type}
        )
        return [json.loads(r[0])["data"] for r in rows]


async def add_work_center(client: ServiceClient, code: str, **fields: Any) -> dict[str, Any]:
    """Create a work center (default calendar unless given) and return it."""
    body = {"code": code, "name": f"Center {code}", "capacity": 1, "cost_per_hour": "60"}
    body.update(fields)
    response = await client.post("/api/v1/work-centers", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]
