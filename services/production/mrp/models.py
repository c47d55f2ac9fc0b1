"""Tables of MRP: runs, planned orders, forecasts, and the open orders of logistics it plans from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.production.database import Base


class Forecast(Base):
    """Expected sales of a sku on a date; customer orders of its bucket consume it."""

    __tablename__ = "forecasts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), index=True)
    date: Mapped[dt.date]
    quantity: Mapped[Decimal]
    created_at: Mapped[dt.datetime]


class DeliveryLineView(Base):
    """A sku of a customer delivery order, as logistics announced it, and how much has shipped.

    Shipments and reservations are keyed by their own ids, so one may be seen before its order:
    `ordered` stays None until the order itself is seen.
    """

    __tablename__ = "mrp_delivery_lines"

    delivery_order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    due_date: Mapped[dt.date | None]
    ordered: Mapped[Decimal | None]
    shipped: Mapped[Decimal]
    # Picked stock is reserved for the order in inventory, so out of the stock MRP nets: that much
    # of the order is covered already.
    reserved: Mapped[Decimal] = mapped_column(default=Decimal(0), server_default="0")
    number: Mapped[str | None] = mapped_column(String(64))


class PurchaseLineView(Base):
    """A sku of a placed purchase order, as logistics announced it, and how much was received."""

    __tablename__ = "mrp_purchase_lines"

    purchase_order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[str] = mapped_column(String(64))
    supplier: Mapped[str] = mapped_column(String(64))
    expected_date: Mapped[dt.date | None]
    ordered: Mapped[Decimal]
    received: Mapped[Decimal]
    closed: Mapped[bool]


class ProposedPurchaseLineView(Base):
    """A sku of a draft purchase order logistics proposed and has not placed yet: supply MRP counts
    so that it does not propose the same need a second time."""

    __tablename__ = "mrp_proposed_purchase_lines"

    purchase_order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[str] = mapped_column(String(64))
    supplier: Mapped[str] = mapped_column(String(64))
    expected_date: Mapped[dt.date | None]
    quantity: Mapped[Decimal]


class MrpRun(Base):
    """One MRP run: when it planned, over what horizon and buckets, and the exceptions it raised."""

    __tablename__ = "mrp_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    start_date: Mapped[dt.date]
    horizon_days: Mapped[int]
    bucket: Mapped[str] = mapped_column(String(8))
    exceptions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # [{sku, on_hand, allocated, ...}]: every kind of supply of each sku, side by side
    supply: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    created_at: Mapped[dt.datetime]
    planned_orders: Mapped[list[PlannedOrderRow]] = relationship(
        back_populates="run",
        cascade="all, delete-orphan",
        order_by="PlannedOrderRow.number",
        lazy="selectin",
    )


class PlannedOrderRow(Base):
    """An order a run proposes; firming it commits it as supply for later runs.

    A firmed buy order becomes `ordered` once purchase orders placed for its sku cover it.
    """

    __tablename__ = "mrp_planned_orders"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("mrp_runs.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(8))
    sku: Mapped[str] = mapped_column(String(64), index=True)
    quantity: Mapped[Decimal]
    release_date: Mapped[dt.date]
    due_date: Mapped[dt.date]
    pegged_to: Mapped[list[str]] = mapped_column(JSON)
    supplier: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    production_order_id: Mapped[str | None] = mapped_column(String(36))
    firmed_at: Mapped[dt.datetime | None]
    # A firmed buy order is supply until purchase orders for its sku cover it.
    ordered_quantity: Mapped[Decimal] = mapped_column(server_default="0", default=Decimal(0))
    purchase_order_ids: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    run: Mapped[MrpRun] = relationship(back_populates="planned_orders")
