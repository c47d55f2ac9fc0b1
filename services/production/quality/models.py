"""Tables of inspection plans and inspections."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.production.database import Base


class InspectionPlan(Base):
    """How a product is inspected: which characteristics, within which limits, on how many units."""

    __tablename__ = "inspection_plans"
    __table_args__ = (UniqueConstraint("product_sku", "version"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    product_sku: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    sample_size: Mapped[int]
    created_at: Mapped[datetime]
    characteristics: Mapped[list[PlanCharacteristic]] = relationship(
        cascade="all, delete-orphan", order_by="PlanCharacteristic.position", lazy="selectin"
    )


class PlanCharacteristic(Base):
    """A measured characteristic of an inspection plan and its limits."""

    __tablename__ = "inspection_plan_characteristics"

    plan_id: Mapped[str] = mapped_column(
        ForeignKey("inspection_plans.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(20))
    lower_limit: Mapped[Decimal | None]
    upper_limit: Mapped[Decimal | None]


class Inspection(Base):
    """The result of inspecting an order's output (or a lot of it)."""

    __tablename__ = "inspections"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("production_orders.id"), index=True)
    product_sku: Mapped[str] = mapped_column(String(64), index=True)
    lot: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(10))
    attempt: Mapped[int]
    plan_id: Mapped[str | None] = mapped_column(String(36))
    # [{characteristic, value, within_limits}]
    measurements: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(String(1000))
    inspected_at: Mapped[datetime]
    defects: Mapped[list[InspectionDefect]] = relationship(
        cascade="all, delete-orphan", order_by="InspectionDefect.code", lazy="selectin"
    )


class InspectionDefect(Base):
    """How many defects of one code an inspection found."""

    __tablename__ = "inspection_defects"

    inspection_id: Mapped[str] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int]
