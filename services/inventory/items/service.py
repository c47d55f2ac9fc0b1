"""Use cases of the item master."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.database import outbox
from services.inventory.domain.stock import as_text
from services.inventory.events import ItemCreated, ItemUpdated
from services.inventory.items.models import Item
from services.inventory.items.schemas import ItemCreate, ItemUpdate
from services.inventory.stock.models import SkuStock
from shared.concurrency import check_if_match
from shared.db import utcnow
from shared.dependencies import PageParams
from shared.errors import AlreadyExists, Conflict
from shared.queries import fetch_page, get_by_code


def _state(item: Item) -> dict[str, object]:
    return {
        "sku": item.sku,
        "name": item.name,
        "uom": item.uom,
        "kind": item.kind,
        "reorder_point": item.reorder_point,
        "reorder_quantity": item.reorder_quantity,
        "safety_stock": item.safety_stock,
        "standard_cost": item.standard_cost,
        "lead_time_days": item.lead_time_days,
        "lot_tracked": item.lot_tracked,
        "serial_tracked": item.serial_tracked,
        "version": item.version,
    }


async def create_item(session: AsyncSession, data: ItemCreate) -> Item:
    """Add an item and announce it."""
    if await session.get(Item, data.sku) is not None:
        raise AlreadyExists(f"An item with sku '{data.sku}' exists already.", sku=data.sku)
    now = utcnow()
    item = Item(**data.model_dump(exclude={"tracking"}), version=1, created_at=now, updated_at=now)
    session.add(item)
    await session.flush()
    await outbox.record(session, ItemCreated.model_validate(_state(item)), item.sku)
    return item


async def get_item(session: AsyncSession, sku: str, *, for_update: bool = False) -> Item:
    """An item by sku, or NotFound."""
    return await get_by_code(session, Item, sku, "sku", sku=sku, for_update=for_update)


async def update_item(
    session: AsyncSession, sku: str, data: ItemUpdate, if_match: str | None
) -> Item:
    """Change an item's master data, if the caller saw the current version."""
    item = await get_item(session, sku, for_update=True)
    check_if_match(if_match, item.version)
    changes = data.model_dump(exclude={"tracking"}, exclude_unset=True, exclude_none=True)
    if changes.get("serial_tracked") and not item.serial_tracked:
        stocked = await session.get(SkuStock, sku)
        if stocked is not None and stocked.on_hand != 0:
            raise Conflict(
                f"Item '{sku}' has {stocked.on_hand} on hand without serials; "
                "it becomes serial-tracked once its stock is gone.",
                sku=sku,
                on_hand=as_text(stocked.on_hand),
            )
    for field, value in changes.items():
        setattr(item, field, value)
    item.version += 1
    item.updated_at = utcnow()
    await session.flush()
    await outbox.record(session, ItemUpdated.model_validate(_state(item)), item.sku)
    return item


async def list_items(
    session: AsyncSession, page: PageParams, kind: str | None = None, search: str | None = None
) -> tuple[list[Item], int]:
    """Items matching the filters, one page, and how many match in all."""
    query = select(Item)
    if kind:
        query = query.where(Item.kind == kind)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            func.lower(Item.sku).like(pattern) | func.lower(Item.name).like(pattern)
        )
    return await fetch_page(session, query, page, Item.sku)
