"""The serials table and the history of each serial."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKeyConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from services.inventory.database import Base
from services.inventory.movements.models import SEQ_TYPE


class Serial(Base):
    """One unit of a serial-tracked sku: in stock at a level, or gone (issued, scrapped)."""

    __tablename__ = "serials"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    serial: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    warehouse: Mapped[str] = mapped_column(String(32))
    location: Mapped[str] = mapped_column(String(32))
    lot: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SerialMovement(Base):
    """A movement that moved a serial, oldest first."""

    __tablename__ = "serial_movements"
    __table_args__ = (
        ForeignKeyConstraint(["sku", "serial"], ["serials.sku", "serials.serial"]),
        Index("ix_serial_movements_serial", "sku", "serial"),
    )

    id: Mapped[int] = mapped_column(SEQ_TYPE, primary_key=True, autoincrement=True)
    sku: Mapped[str] = mapped_column(String(64))
    serial: Mapped[str] = mapped_column(String(64))
    movement_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(100))
    warehouse: Mapped[str] = mapped_column(String(32), doc="Where the serial was after it.")
    location: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20), doc="in_stock or gone after it.")
    recorded_at: Mapped[datetime]
