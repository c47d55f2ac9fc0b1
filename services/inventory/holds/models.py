"""Holds on lots and the stock each one keeps at each level."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.inventory.database import Base
from services.inventory.movements.models import SEQ_TYPE


class Hold(Base):
    """A lot of an sku on hold; while active, stock arriving into the lot is held too."""

    __tablename__ = "holds"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), index=True)
    lot: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    allocations: Mapped[list[HoldAllocation]] = relationship(
        lazy="selectin", order_by="HoldAllocation.id", cascade="all, delete-orphan"
    )


class HoldAllocation(Base):
    """What a hold keeps at one level."""

    __tablename__ = "hold_allocations"

    id: Mapped[int] = mapped_column(SEQ_TYPE, primary_key=True, autoincrement=True)
    hold_id: Mapped[str] = mapped_column(ForeignKey("holds.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64), index=True)
    warehouse: Mapped[str] = mapped_column(String(32))
    location: Mapped[str] = mapped_column(String(32))
    lot: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal]
