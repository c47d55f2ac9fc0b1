"""The item view production and logistics keep from inventory's item events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.consumer import EventHandlers, Received
from shared.numbers import DecimalValue
from shared.owner_lookup import OwnedRecords
from shared.views import apply_if_newer

ITEM_EVENTS = ("inventory.item.created", "inventory.item.updated")


class ItemSeen(BaseModel):
    """What a consumer reads of an item event (tolerant: other fields are ignored)."""

    model_config = ConfigDict(extra="ignore")

    sku: str
    name: str
    uom: str
    kind: str
    standard_cost: DecimalValue = Decimal(0)
    lead_time_days: int = 0
    safety_stock: DecimalValue = Decimal(0)
    reorder_point: DecimalValue = Decimal(0)
    reorder_quantity: DecimalValue = Decimal(0)
    lot_tracked: bool = False


class ItemViewColumns:
    """Columns of an item view table; mix into a service's mapped class."""

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uom: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    standard_cost: Mapped[Decimal]
    lead_time_days: Mapped[int]
    safety_stock: Mapped[Decimal]
    reorder_point: Mapped[Decimal]
    reorder_quantity: Mapped[Decimal]
    lot_tracked: Mapped[bool]
    source_sequence: Mapped[int]


def item_keeper(
    model: type[DeclarativeBase],
) -> Callable[[AsyncSession, ItemSeen, int], Awaitable[bool]]:
    """Stores an item in `model` unless the row reflects a later event of it."""

    async def keep_item(session: AsyncSession, seen: ItemSeen, sequence: int) -> bool:
        return await apply_if_newer(session, model, seen.sku, sequence, seen.model_dump())

    return keep_item


def subscribe_item_view(handlers: EventHandlers, model: type[DeclarativeBase]) -> None:
    """Keep `model` up to date from inventory's item events."""
    keep_item = item_keeper(model)

    async def on_item_changed(session: AsyncSession, event: Received[ItemSeen]) -> None:
        await keep_item(session, event.data, event.sequence)

    for event_type in ITEM_EVENTS:
        handlers.on(event_type, ItemSeen)(on_item_changed)


def items_owned_by_inventory(model: type[DeclarativeBase]) -> OwnedRecords[ItemSeen]:
    """Items as inventory answers for them, to learn the ones the view `model` misses."""
    return OwnedRecords(
        noun="sku",
        owner="inventory",
        path="/api/v1/items/{key}",
        scopes="inventory:read",
        key=model.sku,  # type: ignore[attr-defined]
        seen=ItemSeen,
        keep=item_keeper(model),
    )
