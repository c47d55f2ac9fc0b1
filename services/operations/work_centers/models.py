"""The work centers table."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from services.operations.database import Base


class WorkCenter(Base):
    """A machine or group of machines that can work on `capacity` operations at once."""

    __tablename__ = "work_centers"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(ForeignKey("departments.code"), index=True)
    capacity: Mapped[int]
    cost_per_hour: Mapped[Decimal]
    calendar: Mapped[dict[str, Any]] = mapped_column(JSON)
    # how far (in %) reports on an operation may exceed what reached it
    report_tolerance_percent: Mapped[Decimal] = mapped_column(
        default=Decimal(0), server_default="0"
    )
    version: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
