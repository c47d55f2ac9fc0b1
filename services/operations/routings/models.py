"""The table of routing steps operations keeps from `production.routing.published`."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.operations.database import Base


class RoutingStepView(Base):
    """One operation of a product's latest routing, with the overlap it allows."""

    __tablename__ = "routing_steps"

    product_sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    sequence: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int]
    work_center: Mapped[str] = mapped_column(String(64))
    overlap_quantity: Mapped[Decimal | None]
