"""Tables of tasks and of the schedule each order's tasks come from."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
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
    # good and scrap reported so far (reports, the completion and corrections)
    reported_good: Mapped[Decimal] = mapped_column(default=Decimal(0), server_default="0")
    reported_scrap: Mapped[Decimal] = mapped_column(default=Decimal(0), server_default="0")
    pause_reason: Mapped[str | None] = mapped_column(String(20))
    started_by: Mapped[str | None] = mapped_column(String(200))
    completed_by: Mapped[str | None] = mapped_column(String(200))
    override_reason: Mapped[str | None] = mapped_column(String(500))
    overridden_by: Mapped[str | None] = mapped_column(String(200))
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


class TaskReport(Base):
    """Good and scrap quantities an operator reported on a task (a partial report, or the last
    one sent with the completion)."""

    __tablename__ = "task_reports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"), index=True)
    good_quantity: Mapped[Decimal]
    scrap_quantity: Mapped[Decimal]
    scrap_reason: Mapped[str | None] = mapped_column(String(200))
    operator: Mapped[str] = mapped_column(String(200))
    reported_at: Mapped[datetime]


class TaskCorrection(Base):
    """A correction of a completed task's quantities: who, when, why, from what to what. The
    reports it corrects stay as they were."""

    __tablename__ = "task_corrections"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"), index=True)
    old_good_quantity: Mapped[Decimal]
    old_scrap_quantity: Mapped[Decimal]
    good_quantity: Mapped[Decimal]
    scrap_quantity: Mapped[Decimal]
    reason: Mapped[str] = mapped_column(String(500))
    corrected_by: Mapped[str] = mapped_column(String(200))
    corrected_at: Mapped[datetime]


class TaskPause(Base):
    """A span a task was paused, and why (a loss reason); `ended_at` is empty while paused."""

    __tablename__ = "task_pauses"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id"), index=True)
    work_center: Mapped[str] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(500))
    operator: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    resumed_by: Mapped[str | None] = mapped_column(String(200))
