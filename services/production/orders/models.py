"""Production order tables, with the task actuals operations reports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from services.production.database import Base


class ProductionOrder(Base):
    """An order to make a quantity of a product by a due date."""

    __tablename__ = "production_orders"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    product_sku: Mapped[str] = mapped_column(String(64), index=True)
    quantity: Mapped[Decimal]
    due_date: Mapped[date]
    priority: Mapped[int]
    warehouse: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), index=True)
    materials_status: Mapped[str] = mapped_column(String(20))
    # [{sku, requested, available}] as inventory reported them
    shortages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reservation_id: Mapped[str | None] = mapped_column(String(64))
    reservation_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    bom_id: Mapped[str | None] = mapped_column(String(36))
    bom_version: Mapped[int | None]
    # [{sku, quantity}]: the first level of the BOM exploded at release
    components: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    good_quantity: Mapped[Decimal]
    scrap_quantity: Mapped[Decimal]
    lot: Mapped[str | None] = mapped_column(String(64))
    unit_cost: Mapped[Decimal | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    released_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # when production.order.late went out for this order: it goes once
    late_notified_at: Mapped[datetime | None]


class TaskActual(Base):
    """What operations reported of one task (an operation of an order): times and quantities."""

    __tablename__ = "order_task_actuals"

    task_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("production_orders.id"), index=True)
    sequence: Mapped[int]
    work_center: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    good_quantity: Mapped[Decimal | None]
    scrap_quantity: Mapped[Decimal | None]
    worked_minutes: Mapped[Decimal | None]
    cost_per_hour: Mapped[Decimal | None]
    last_operation: Mapped[bool] = mapped_column(default=False)
