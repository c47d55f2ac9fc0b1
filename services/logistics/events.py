"""Events the logistics service publishes."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel

from shared.events import DomainEvent, EventCatalog
from shared.numbers import DecimalValue

catalog = EventCatalog("logistics")


class OrderedLine(BaseModel):
    """A line of a purchase order as announced."""

    sku: str
    quantity: DecimalValue
    unit_price: DecimalValue


class ReceivedLine(BaseModel):
    """Goods of one sku that arrived in a receipt."""

    sku: str
    quantity: DecimalValue
    lot: str | None = None
    unit_price: DecimalValue


@catalog.register
class PurchaseOrderPlaced(DomainEvent):
    """A purchase order was sent to its supplier."""

    event_type: ClassVar[str] = "logistics.purchase_order.placed"

    purchase_order_id: str
    number: str
    supplier: str
    expected_date: date | None
    lines: list[OrderedLine]


@catalog.register
class PurchaseOrderProposed(DomainEvent):
    """A draft purchase order logistics proposed (from reorder alerts or MRP's buy lines), with its
    current lines; announced again whenever the draft changes. No lines: the proposal was
    withdrawn (cancelled). Placing it is announced as `logistics.purchase_order.placed`."""

    event_type: ClassVar[str] = "logistics.purchase_order.proposed"

    purchase_order_id: str
    number: str
    supplier: str
    expected_date: date | None
    origin: str | None = None
    lines: list[OrderedLine]


@catalog.register
class PurchaseOrderReceived(DomainEvent):
    """Goods of a purchase order arrived: one event per receipt."""

    event_type: ClassVar[str] = "logistics.purchase_order.received"

    purchase_order_id: str
    receipt_id: str
    warehouse: str
    received_at: datetime
    lines: list[ReceivedLine]
    status: str
    # Inventory's lot trace names where purchased lots came from.
    number: str | None = None
    supplier: str | None = None


@catalog.register
class PurchaseOrderCancelled(DomainEvent):
    """A purchase order will not be delivered."""

    event_type: ClassVar[str] = "logistics.purchase_order.cancelled"

    purchase_order_id: str
    number: str
    reason: str | None = None


@catalog.register
class PurchaseOrderClosed(DomainEvent):
    """A purchase order expects no more goods."""

    event_type: ClassVar[str] = "logistics.purchase_order.closed"

    purchase_order_id: str
    number: str


class ShippedLine(BaseModel):
    """A quantity of one sku for a customer."""

    sku: str
    quantity: DecimalValue


@catalog.register
class DeliveryOrderCreated(DomainEvent):
    """A customer ordered goods to be delivered."""

    event_type: ClassVar[str] = "logistics.delivery_order.created"

    delivery_order_id: str
    number: str = ""
    customer: str
    ship_to: str
    due_date: date
    lines: list[ShippedLine]


class ClosedLine(BaseModel):
    """A line of a delivery order closed by a cancellation: ordered, and shipped before it."""

    sku: str
    ordered: DecimalValue
    shipped: DecimalValue


@catalog.register
class DeliveryOrderCancelled(DomainEvent):
    """A delivery order will ship no more: cancelled before shipping, or its rest (the backorder)
    cancelled after a part shipped. Each line says how much shipped in all."""

    event_type: ClassVar[str] = "logistics.delivery_order.cancelled"

    delivery_order_id: str
    number: str
    reason: str | None
    lines: list[ClosedLine]


@catalog.register
class ShipmentDispatched(DomainEvent):
    """Goods left for a customer with a carrier: the whole order, or the part in `lines`."""

    event_type: ClassVar[str] = "logistics.shipment.dispatched"

    shipment_id: str
    delivery_order_id: str
    carrier: str | None
    tracking_number: str | None
    lines: list[ShippedLine]
    dispatched_at: datetime


@catalog.register
class ShipmentInTransit(DomainEvent):
    """The carrier reports the shipment under way."""

    event_type: ClassVar[str] = "logistics.shipment.in_transit"

    shipment_id: str
    delivery_order_id: str
    at: datetime
    note: str | None = None


@catalog.register
class ShipmentException(DomainEvent):
    """The carrier reports a problem with the shipment."""

    event_type: ClassVar[str] = "logistics.shipment.exception"

    shipment_id: str
    delivery_order_id: str
    at: datetime
    note: str | None = None


@catalog.register
class ShipmentDelivered(DomainEvent):
    """The customer has the goods."""

    event_type: ClassVar[str] = "logistics.shipment.delivered"

    shipment_id: str
    delivery_order_id: str
    delivered_at: datetime
    on_time: bool
