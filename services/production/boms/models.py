"""BOM tables."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.production.database import Base


class Bom(Base):
    """A bill of materials of one product, in one version, effective from a date."""

    __tablename__ = "boms"
    __table_args__ = (UniqueConstraint("product_sku", "version"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    product_sku: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    output_quantity: Mapped[Decimal]
    effective_from: Mapped[date]
    created_at: Mapped[datetime]
    components: Mapped[list[BomComponent]] = relationship(
        back_populates="bom",
        cascade="all, delete-orphan",
        order_by="BomComponent.position",
        lazy="selectin",
    )


class BomComponent(Base):
    """A component line of a BOM."""

    __tablename__ = "bom_components"

    bom_id: Mapped[str] = mapped_column(ForeignKey("boms.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), index=True)
    quantity: Mapped[Decimal]
    scrap_factor: Mapped[Decimal]
    bom: Mapped[Bom] = relationship(back_populates="components")
