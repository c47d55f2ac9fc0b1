"""Tables of suppliers, carriers, purchase orders and receipts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.logistics.database import Base
from shared.db import new_id


class Supplier(Base):
    """A company logistics buys from."""

    __tablename__ = "suppliers"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    lead_time_days: Mapped[int]
    version: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SupplierItem(Base):
    """An item a supplier sells, at a price and a minimum quantity."""

    __tablename__ = "supplier_items"

    supplier: Mapped[str] = mapped_column(ForeignKey("suppliers.code"), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_price: Mapped[Decimal]
    minimum_quantity: Mapped[Decimal]
    preferred: Mapped[bool] = mapped_column(default=False)


class Carrier(Base):
    """A company that carries shipments."""

    __tablename__ = "carriers"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class PurchaseOrder(Base):
    """An order of goods from a supplier."""

    __tablename__ = "purchase_orders"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    supplier: Mapped[str] = mapped_column(ForeignKey("suppliers.code"), index=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    expected_date: Mapped[date | None]
    origin: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int]
    created_at: Mapped[datetime]
    placed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    lines: Mapped[list[PurchaseOrderLine]] = relationship(
        lazy="selectin", order_by="PurchaseOrderLine.line_no", cascade="all, delete-orphan"
    )


class PurchaseOrderLine(Base):
    """A sku ordered on a purchase order, and how much of it came."""

    __tablename__ = "purchase_order_lines"
    __table_args__ = (UniqueConstraint("purchase_order_id", "sku"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    purchase_order_id: Mapped[str] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    line_no: Mapped[int]
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal]
    unit_price: Mapped[Decimal]
    received_quantity: Mapped[Decimal]


class Receipt(Base):
    """Goods of a purchase order that arrived together."""

    __tablename__ = "receipts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    purchase_order_id: Mapped[str] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    warehouse: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime]
    lines: Mapped[list[ReceiptLine]] = relationship(lazy="selectin", cascade="all, delete-orphan")


class ReceiptLine(Base):
    """A quantity of one sku, possibly of a lot, in a receipt."""

    __tablename__ = "receipt_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    receipt_id: Mapped[str] = mapped_column(ForeignKey("receipts.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal]
    lot: Mapped[str | None] = mapped_column(String(64))
    unit_price: Mapped[Decimal]
