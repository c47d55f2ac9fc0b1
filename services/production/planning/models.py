"""The planning parameters table: production's own settings of an item for MRP."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.production.database import Base


class PlanningParameters(Base):
    """How MRP plans one item: lot sizing, make or buy, and a lead time of its own."""

    __tablename__ = "planning_parameters"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    lot_sizing: Mapped[str] = mapped_column(String(20))
    fixed_quantity: Mapped[Decimal | None]
    minimum_quantity: Mapped[Decimal | None]
    multiple: Mapped[Decimal | None]
    procurement: Mapped[str] = mapped_column(String(10))
    # None: the item's lead time from inventory applies
    lead_time_days: Mapped[int | None]
    version: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
