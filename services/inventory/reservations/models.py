"""Reservations, their requested lines and where the stock for them is held."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.inventory.database import Base
from services.inventory.movements.models import SEQ_TYPE


class Reservation(Base):
    """Stock set aside for a reference (production order, delivery order)."""

    __tablename__ = "reservations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    lines: Mapped[list[ReservationLine]] = relationship(
        lazy="selectin", order_by="ReservationLine.line_no", cascade="all, delete-orphan"
    )
    allocations: Mapped[list[ReservationAllocation]] = relationship(
        lazy="selectin", order_by="ReservationAllocation.id", cascade="all, delete-orphan"
    )


class ReservationLine(Base):
    """A line as requested."""

    __tablename__ = "reservation_lines"

    reservation_id: Mapped[str] = mapped_column(ForeignKey("reservations.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal]
    warehouse: Mapped[str | None] = mapped_column(String(32))


class ReservationAllocation(Base):
    """The part of a line reserved at one level."""

    __tablename__ = "reservation_allocations"

    id: Mapped[int] = mapped_column(SEQ_TYPE, primary_key=True, autoincrement=True)
    reservation_id: Mapped[str] = mapped_column(ForeignKey("reservations.id"), index=True)
    line_no: Mapped[int]
    sku: Mapped[str] = mapped_column(String(64), index=True)
    warehouse: Mapped[str] = mapped_column(String(32))
    location: Mapped[str] = mapped_column(String(32))
    lot: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal]
