"""The movements table and the per-level lines each movement booked."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.inventory.database import Base

# SQLite only autoincrements an INTEGER primary key.
SEQ_TYPE = BigInteger().with_variant(Integer(), "sqlite")


class Movement(Base):
    """One stock movement, never changed after it is written; `seq` is the ledger order."""

    __tablename__ = "movements"

    seq: Mapped[int] = mapped_column(SEQ_TYPE, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    sku: Mapped[str] = mapped_column(String(64), index=True)
    quantity: Mapped[Decimal]
    warehouse: Mapped[str] = mapped_column(String(32))
    to_warehouse: Mapped[str | None] = mapped_column(String(32))
    location: Mapped[str | None] = mapped_column(String(32))
    to_location: Mapped[str | None] = mapped_column(String(32))
    lot: Mapped[str | None] = mapped_column(String(64), index=True)
    expires_on: Mapped[date | None]
    unit_cost: Mapped[Decimal]
    value: Mapped[Decimal]
    reference: Mapped[str | None] = mapped_column(String(100), index=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime]
    lines: Mapped[list[MovementLine]] = relationship(
        lazy="selectin", order_by="MovementLine.id", cascade="all, delete-orphan"
    )


class MovementLine(Base):
    """The change a movement made to the on-hand of one level (a transfer books two or more)."""

    __tablename__ = "movement_lines"

    id: Mapped[int] = mapped_column(SEQ_TYPE, primary_key=True, autoincrement=True)
    movement_seq: Mapped[int] = mapped_column(ForeignKey("movements.seq"), index=True)
    sku: Mapped[str] = mapped_column(String(64), index=True)
    warehouse: Mapped[str] = mapped_column(String(32))
    location: Mapped[str] = mapped_column(String(32))
    lot: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal] = mapped_column(doc="Signed change of on hand.")
