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


class Shipment(Base):
    """Goods of a delivery order on their way, with a carrier."""

    __tablename__ = "shipments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    delivery_order_id: Mapped[str] = mapped_column(ForeignKey("delivery_orders.id"), unique=True)
    carrier: Mapped[str | None] = mapped_column(String(64))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), index=True)
    note: Mapped[str | None] = mapped_column(String(500))
    dispatched_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    on_time: Mapped[bool | None]
    updated_at: Mapped[datetime]
