"""The items table."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.inventory.database import Base


class Item(Base):
    """One SKU of the item master."""

    __tablename__ = "items"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uom: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    reorder_point: Mapped[Decimal]
    reorder_quantity: Mapped[Decimal]
    safety_stock: Mapped[Decimal]
    standard_cost: Mapped[Decimal]
    lead_time_days: Mapped[int]
    lot_tracked: Mapped[bool]
    serial_tracked: Mapped[bool]
    version: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
