"""The table of production orders operations has heard of."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.operations.database import Base


class KnownOrder(Base):
    """A production order as production and inventory announced it; `materials_status` follows
    production's release and inventory's answer to it (none, pending, reserved, short, released)."""

    __tablename__ = "known_orders"

    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[str | None] = mapped_column(String(40), index=True)
    product_sku: Mapped[str] = mapped_column(String(64), default="")
    quantity: Mapped[Decimal | None]
    due_date: Mapped[date | None]
    priority: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20), default="planned")
    materials_status: Mapped[str] = mapped_column(String(20), default="none")
    reservation_attempt: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]
