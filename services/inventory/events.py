"""Events the inventory service publishes."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

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


MovementKind = Literal["receipt", "issue", "transfer", "adjustment", "scrap"]


@catalog.register
class MovementRecorded(DomainEvent):
    """A stock movement was written to the ledger."""

    event_type: ClassVar[str] = "inventory.movement.recorded"

    movement_id: str
    kind: MovementKind
    sku: str
    quantity: DecimalValue
    warehouse: str
    to_warehouse: str | None = None
    location: str | None = None
    lot: str | None = None
    unit_cost: DecimalValue
    value: DecimalValue
    reference: str | None = None
    reason: str | None = None
    recorded_by: str
    recorded_at: datetime


class WarehouseStock(BaseModel):
    """An sku's stock in one warehouse."""

    model_config = ConfigDict(frozen=True)

    warehouse: str
    on_hand: DecimalValue
    reserved: DecimalValue
    on_hold: DecimalValue
    available: DecimalValue


@catalog.register
class StockChanged(DomainEvent):
    """An sku's stock totals after a change (subject: the sku)."""

    event_type: ClassVar[str] = "inventory.stock.changed"

    sku: str
    on_hand: DecimalValue
    reserved: DecimalValue
    on_hold: DecimalValue
    available: DecimalValue
    average_cost: DecimalValue
    by_warehouse: list[WarehouseStock]


@catalog.register
class StockBelowReorderPoint(DomainEvent):
    """An sku's available stock fell below its reorder point (once per fall)."""

    event_type: ClassVar[str] = "inventory.stock.below_reorder_point"

    sku: str
    available: DecimalValue
    reorder_point: DecimalValue
    reorder_quantity: DecimalValue
    safety_stock: DecimalValue
    suggested_quantity: DecimalValue


class ReservedLine(BaseModel):
    """A reserved line."""

    model_config = ConfigDict(frozen=True)

    sku: str
    quantity: DecimalValue
    warehouse: str | None


class ShortLine(BaseModel):
    """A line that could not be reserved."""

    model_config = ConfigDict(frozen=True)

    sku: str
    requested: DecimalValue
    available: DecimalValue


@catalog.register
class ReservationConfirmed(DomainEvent):
    """Every line of a reservation is set aside (subject: the reservation id)."""

    event_type: ClassVar[str] = "inventory.reservation.confirmed"

    reservation_id: str
    reference: str
    lines: list[ReservedLine]


@catalog.register
class ReservationRejected(DomainEvent):
    """A reservation could not be made; nothing was set aside (subject: the reference)."""

    event_type: ClassVar[str] = "inventory.reservation.rejected"

    reference: str
    shortages: list[ShortLine]


@catalog.register
class ReservationReleased(DomainEvent):
    """A reservation's stock was given back (subject: the reservation id)."""

    event_type: ClassVar[str] = "inventory.reservation.released"

    reservation_id: str
    reference: str


@catalog.register
class ReservationConsumed(DomainEvent):
    """A reservation's stock was issued (subject: the reservation id)."""

    event_type: ClassVar[str] = "inventory.reservation.consumed"

    reservation_id: str
    reference: str


class LotState(DomainEvent):
    """A lot's hold changed (subject: `sku:lot`)."""

    sku: str
    lot: str
    quantity: DecimalValue
    reason: str | None = None


@catalog.register
class LotHeld(LotState):
    """A lot was put on hold: it cannot be reserved, issued or shipped."""

    event_type: ClassVar[str] = "inventory.lot.held"


@catalog.register
class LotReleased(LotState):
    """A lot's hold was lifted; its stock is available again."""

    event_type: ClassVar[str] = "inventory.lot.released"


@catalog.register
class LotScrapped(LotState):
    """A held lot was scrapped."""

    event_type: ClassVar[str] = "inventory.lot.scrapped"


class ConsumedLot(BaseModel):
    """A component lot and how much of it went into a made lot."""

    model_config = ConfigDict(frozen=True)

    sku: str
    lot: str
    quantity: DecimalValue


@catalog.register
class LotGenealogyRecorded(DomainEvent):
    """A completed order's output lot and the component lots it consumed (subject: `sku:lot`)."""

    event_type: ClassVar[str] = "inventory.lot.genealogy_recorded"

    reference: str
    sku: str
    lot: str
    quantity: DecimalValue
    components: list[ConsumedLot]
