"""The lot links a completion records and the sources of purchased receipts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from services.inventory.database import Base
from services.inventory.movements.models import SEQ_TYPE


class LotLink(Base):
    """A component lot consumed into a made lot by one order."""

    __tablename__ = "lot_links"
    __table_args__ = (
        Index("ix_lot_links_output", "output_sku", "output_lot"),
        Index("ix_lot_links_component", "component_sku", "component_lot"),
    )

    id: Mapped[int] = mapped_column(SEQ_TYPE, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(100), index=True, doc="The production order.")
    output_sku: Mapped[str] = mapped_column(String(64))
    output_lot: Mapped[str] = mapped_column(String(64))
    output_quantity: Mapped[Decimal] = mapped_column(doc="What the order made into the lot.")
    component_sku: Mapped[str] = mapped_column(String(64))
    component_lot: Mapped[str] = mapped_column(String(64))
    component_quantity: Mapped[Decimal] = mapped_column(doc="What the order took from the lot.")
    recorded_at: Mapped[datetime]


class ReceiptSource(Base):
    """Where the goods of a purchased receipt came from."""

    __tablename__ = "receipt_sources"

    receipt_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    purchase_order_id: Mapped[str] = mapped_column(String(100))
    purchase_order_number: Mapped[str | None] = mapped_column(String(100))
    supplier: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[datetime | None]
