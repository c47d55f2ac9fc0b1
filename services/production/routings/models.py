"""Routing tables."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.production.database import Base


class Routing(Base):
    """The operations that make one product, in one version, effective from a date."""

    __tablename__ = "routings"
    __table_args__ = (UniqueConstraint("product_sku", "version"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    product_sku: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    effective_from: Mapped[date]
    created_at: Mapped[datetime]
    operations: Mapped[list[RoutingOperation]] = relationship(
        back_populates="routing",
        cascade="all, delete-orphan",
        order_by="RoutingOperation.sequence",
        lazy="selectin",
    )


class RoutingOperation(Base):
    """One step of a routing on a work center: setup once, then run time per unit."""

    __tablename__ = "routing_operations"

    routing_id: Mapped[str] = mapped_column(
        ForeignKey("routings.id", ondelete="CASCADE"), primary_key=True
    )
    sequence: Mapped[int] = mapped_column(primary_key=True)
    work_center: Mapped[str] = mapped_column(String(64), index=True)
    setup_minutes: Mapped[Decimal]
    run_minutes_per_unit: Mapped[Decimal]
    # good units the operation before must report before this one may start (None: all)
    overlap_quantity: Mapped[Decimal | None]
    description: Mapped[str | None] = mapped_column(String(200))
    routing: Mapped[Routing] = relationship(back_populates="operations")
