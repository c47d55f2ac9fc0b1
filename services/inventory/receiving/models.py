"""Receipt lines inventory could not book yet: their sku was not in the item master."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.inventory.database import Base


class ParkedReceiptLine(Base):
    """A received line kept until an operator applies it, once the item exists."""

    __tablename__ = "parked_receipt_lines"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    receipt_id: Mapped[str] = mapped_column(String(100), index=True)
    purchase_order_id: Mapped[str | None] = mapped_column(String(100))
    warehouse: Mapped[str] = mapped_column(String(32))
    sku: Mapped[str] = mapped_column(String(64), index=True)
    quantity: Mapped[Decimal]
    unit_price: Mapped[Decimal]
    lot: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), index=True)
    parked_at: Mapped[datetime]
    applied_at: Mapped[datetime | None]
    applied_by: Mapped[str | None] = mapped_column(String(200))
    movement_id: Mapped[str | None] = mapped_column(String(36))
