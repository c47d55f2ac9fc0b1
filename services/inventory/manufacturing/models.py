"""Production orders waiting for components inventory could not reserve when they were released."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from services.inventory.database import Base


class WaitingReservation(Base):
    """A released order's components, rejected as short: a receipt of one of them retries it."""

    __tablename__ = "waiting_reservations"

    reference: Mapped[str] = mapped_column(String(100), primary_key=True)
    due_date: Mapped[date | None]
    warehouse: Mapped[str | None] = mapped_column(String(32))
    # [{sku, quantity}] as the order's release asked for them
    components: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime]
