"""Stock levels per place and lot, and the totals and valuation per sku."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from services.inventory.database import Base


class SkuStock(Base):
    """An sku's stock totals and moving-average cost; its row lock serialises the sku's changes."""

    __tablename__ = "sku_stock"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("on_hold >= 0", name="on_hold_not_negative"),
    )

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    on_hand: Mapped[Decimal]
    reserved: Mapped[Decimal]
    on_hold: Mapped[Decimal]
    average_cost: Mapped[Decimal]
    below_reorder_point: Mapped[bool] = mapped_column(
        doc="Available was below the reorder point when last changed (an alert was raised)."
    )
    updated_at: Mapped[datetime]


class StockLevel(Base):
    """What one (sku, warehouse, location, lot) holds; '' stands for no location or no lot."""

    __tablename__ = "stock_levels"
    # Stock can never go negative in the database itself, whatever a bug in the code above it.
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("on_hold >= 0", name="on_hold_not_negative"),
    )

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    warehouse: Mapped[str] = mapped_column(String(32), primary_key=True)
    location: Mapped[str] = mapped_column(String(32), primary_key=True, default="")
    lot: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    on_hand: Mapped[Decimal]
    reserved: Mapped[Decimal]
    on_hold: Mapped[Decimal]
    first_received_at: Mapped[datetime] = mapped_column(doc="Orders issues first in, first out.")
    expires_on: Mapped[date | None] = mapped_column(
        doc="The lot's expiry; issues take the first to expire first."
    )
