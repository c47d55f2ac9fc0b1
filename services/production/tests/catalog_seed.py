"""Test setup: items production knows, as if inventory had announced them."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from services.production.catalog.models import KnownItem, KnownWorkCenter
from shared.testing.stack import ServiceClient


async def seed_items(production: ServiceClient, *skus: str, standard_cost: str = "1") -> None:
    """Make production know these items (the view inventory's item events keep)."""
    async with production.app.state.database.transaction() as session:
        for sku in skus:
            session.add(
                KnownItem(
                    sku=sku,
                    name=sku,
                    uom="ea",
                    kind="component",
                    standard_cost=Decimal(standard_cost),
                    lead_time_days=0,
                    safety_stock=Decimal(0),
                    reorder_point=Decimal(0),
                    reorder_quantity=Decimal(0),
                    lot_tracked=False,
                    source_sequence=1,
                )
            )


async def seed_work_centers(
    production: ServiceClient, *codes: str, cost_per_hour: str = "60"
) -> None:
    """Make production know these work centers (the view operations' events keep)."""
    async with production.app.state.database.transaction() as session:
        for code in codes:
            session.add(
                KnownWorkCenter(
                    code=code,
                    name=code,
                    capacity=1,
                    cost_per_hour=Decimal(cost_per_hour),
                    calendar=None,
                    version=1,
                    source_sequence=1,
                )
            )


async def published(client: ServiceClient, event_type: str) -> list[dict[str, Any]]:
    """The data of the events of a type the service recorded in its outbox, oldest first."""
    async with client.app.state.database.transaction() as session:
        rows = await session.execute(
            text("SELECT envelope FROM outbox WHERE event_type = :t ORDER BY id"), {"t": event_type}
        )
        return [json.loads(r[0])["data"] for r in rows]
