"""Tables of tasks and of the schedule each order's tasks come from."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.operations.database import Base
from shared.db import new_id


class Task(Base):
    """One operation of a production order on a work center, as scheduled and as done."""

    __tablename__ = "tasks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    schedule_id: Mapped[str] = mapped_column(String(64))
    schedule_version: Mapped[int]
    order_id: Mapped[str] = mapped_column(String(64), index=True)
    product_sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal]
    sequence: Mapped[int]
    work_center: Mapped[str] = mapped_column(String(64), index=True)
    planned_start: Mapped[datetime]
    planned_end: Mapped[datetime]
    setup_minutes: Mapped[Decimal]
    run_minutes: Mapped[Decimal]
    status: Mapped[str] = mapped_column(String(20), index=True)
    started_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    paused_minutes: Mapped[Decimal]
    completed_at: Mapped[datetime | None]
    good_quantity: Mapped[Decimal | None]
    scrap_quantity: Mapped[Decimal | None]
    worked_minutes: Mapped[Decimal | None]
    version: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class OrderSchedule(Base):
    """Which published schedule an order's planned tasks come from."""

    __tablename__ = "order_schedules"

    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    schedule_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    published_at: Mapped[datetime]
