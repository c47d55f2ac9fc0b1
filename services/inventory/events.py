"""Events the inventory service publishes."""

from __future__ import annotations

from typing import ClassVar, Literal

from shared.events import DomainEvent, EventCatalog
from shared.numbers import DecimalValue

catalog = EventCatalog("inventory")

ItemKind = Literal["raw", "component", "finished"]


class ItemState(DomainEvent):
    """The full state of an item after a change."""

    sku: str
    name: str
    uom: str
    kind: ItemKind
    reorder_point: DecimalValue
    reorder_quantity: DecimalValue
    safety_stock: DecimalValue
    standard_cost: DecimalValue
    lead_time_days: int
    lot_tracked: bool
    serial_tracked: bool
    version: int


@catalog.register
class ItemCreated(ItemState):
    """An item was added to the SKU master."""

    event_type: ClassVar[str] = "inventory.item.created"


@catalog.register
class ItemUpdated(ItemState):
    """An item's master data changed."""

    event_type: ClassVar[str] = "inventory.item.updated"
