"""The warehouses and locations tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from services.inventory.database import Base


class Warehouse(Base):
    """A place that holds stock."""

    __tablename__ = "warehouses"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Location(Base):
    """A bin or area inside a warehouse."""

    __tablename__ = "locations"

    warehouse: Mapped[str] = mapped_column(ForeignKey("warehouses.code"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
