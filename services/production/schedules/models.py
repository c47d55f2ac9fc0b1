"""Schedule tables: one row per version, one per scheduled operation."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.production.database import Base


class StoredSchedule(Base):
    """A schedule version; a re-plan is a new version that names the one it replaces."""

    __tablename__ = "schedules"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    replaces: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str | None] = mapped_column(String(300))
    objective: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    lower_bound: Mapped[int]
    makespan_minutes: Mapped[int]
    tardiness: Mapped[int]
    origin: Mapped[datetime]
    time_limit_seconds: Mapped[float]
    created_at: Mapped[datetime]
    # [{order_id, number, due, end, minutes_late, why: {reason, ...}}]: orders planned to end late
    late_orders: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default="[]"
    )
    operations: Mapped[list[StoredOperation]] = relationship(
        back_populates="schedule",
        cascade="all, delete-orphan",
        order_by="StoredOperation.position",
        lazy="selectin",
    )


class StoredOperation(Base):
    """An operation of an order placed on a work center, with the order's dates and weight."""

    __tablename__ = "schedule_operations"

    schedule_id: Mapped[str] = mapped_column(
        ForeignKey("schedules.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[str] = mapped_column(String(36), index=True)
    product_sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal]
    sequence: Mapped[int]
    work_center: Mapped[str] = mapped_column(String(64), index=True)
    start: Mapped[datetime]
    end: Mapped[datetime]
    setup_minutes: Mapped[int]
    run_minutes: Mapped[int]
    due: Mapped[datetime | None]
    weight: Mapped[int]
    schedule: Mapped[StoredSchedule] = relationship(back_populates="operations")
