"""Tables of downtimes and maintenance plans."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from services.operations.database import Base
from shared.db import new_id


class Downtime(Base):
    """A span when a work center could not work: planned (maintenance) or a breakdown."""

    __tablename__ = "downtimes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    work_center: Mapped[str] = mapped_column(ForeignKey("work_centers.code"), index=True)
    start: Mapped[datetime] = mapped_column(index=True)
    end: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(500))
    # One of the plant's loss reasons, which OEE counts the stop under (else by its kind).
    loss_reason: Mapped[str | None] = mapped_column(String(32))
    maintenance_plan_id: Mapped[str | None] = mapped_column(String(36), index=True)
    recorded_at: Mapped[datetime]


class MaintenancePlan(Base):
    """Planned maintenance of a work center every so many days, for a fixed duration."""

    __tablename__ = "maintenance_plans"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    work_center: Mapped[str] = mapped_column(ForeignKey("work_centers.code"), index=True)
    every_days: Mapped[int]
    duration_minutes: Mapped[int]
    start: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(500))
    generated: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
