"""Tables of delivery orders and shipments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.logistics.database import Base
from shared.db import new_id


class DeliveryOrder(Base):
    """Goods a customer ordered, to ship by a date."""

    __tablename__ = "delivery_orders"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    customer: Mapped[str] = mapped_column(String(200), index=True)
    ship_to: Mapped[str] = mapped_column(String(500))
    due_date: Mapped[date]
    warehouse: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), index=True)
    reservation_id: Mapped[str | None] = mapped_column(String(36))
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    lines: Mapped[list[DeliveryOrderLine]] = relationship(
        lazy="selectin", order_by="DeliveryOrderLine.line_no", cascade="all, delete-orphan"
    )


class DeliveryOrderLine(Base):
    """A sku and quantity a customer ordered."""

    __tablename__ = "delivery_order_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    delivery_order_id: Mapped[str] = mapped_column(ForeignKey("delivery_orders.id"), index=True)
    line_no: Mapped[int]
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal]
    shipped_quantity: Mapped[Decimal] = mapped_column(default=Decimal(0), server_default="0")

    @property
    def open_quantity(self) -> Decimal:
        """What is still to ship (nothing once the rest is cancelled: see the order's status)."""
        return max(Decimal(0), self.quantity - self.shipped_quantity)


class Shipment(Base):
    """Goods of a delivery order on their way, with a carrier: all of the order, or a part."""

    __tablename__ = "shipments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    delivery_order_id: Mapped[str] = mapped_column(ForeignKey("delivery_orders.id"), index=True)
    # The Idempotency-Key (or a new id) of the ship request that claimed this part: a retry of
    # the same request finds its claim and completes it instead of claiming the goods again.
    claim_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    carrier: Mapped[str | None] = mapped_column(String(64))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), index=True)
    note: Mapped[str | None] = mapped_column(String(500))
    dispatched_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    on_time: Mapped[bool | None]
    updated_at: Mapped[datetime]
    lines: Mapped[list[ShipmentLine]] = relationship(
        lazy="selectin", order_by="ShipmentLine.line_no", cascade="all, delete-orphan"
    )


class ShipmentLine(Base):
    """A sku and quantity that left with a shipment."""

    __tablename__ = "shipment_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    shipment_id: Mapped[str] = mapped_column(ForeignKey("shipments.id"), index=True)
    line_no: Mapped[int]
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal]
