"""Tables of costing: the material issued to production orders, as inventory valued it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.production.database import Base


class MaterialIssue(Base):
    """Components inventory issued against a production order, at their value."""

    __tablename__ = "cost_material_issues"

    movement_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(64), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal]
    value: Mapped[Decimal]
