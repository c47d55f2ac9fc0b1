"""Production's views of other services' aggregates: items, stock, work centers and downtime."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from services.production.database import Base
from shared.item_view import ItemViewColumns
from shared.stock_view import StockViewColumns


class KnownItem(ItemViewColumns, Base):
    """An item production has heard of from inventory."""

    __tablename__ = "known_items"


class KnownStock(StockViewColumns, Base):
    """An item's stock totals as inventory last announced them."""

    __tablename__ = "known_stock"


class KnownWorkCenter(Base):
    """A work center production has heard of from operations, with its working calendar."""

    __tablename__ = "known_work_centers"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(64))
    capacity: Mapped[int]
    cost_per_hour: Mapped[Decimal]
    # {timezone, shifts[{weekday, start, end}], holidays[], exceptions[{date, shifts}]}; None = default
    calendar: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int]
    source_sequence: Mapped[int]


class KnownDowntime(Base):
    """A period in which a work center cannot work, as operations recorded it."""

    __tablename__ = "known_downtimes"

    downtime_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    work_center: Mapped[str] = mapped_column(String(64), index=True)
    start: Mapped[datetime]
    end: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(500))
    source_sequence: Mapped[int]
