"""Tables of work requests and their progress notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.operations.database import Base
from shared.db import new_id


class WorkRequest(Base):
    """A request for work from one department to a team: raised, assigned, progressed, closed."""

    __tablename__ = "work_requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    department: Mapped[str | None] = mapped_column(ForeignKey("departments.code"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    order_id: Mapped[str | None] = mapped_column(String(64), index=True)
    work_center: Mapped[str | None] = mapped_column(String(64))
    sku: Mapped[str | None] = mapped_column(String(64), index=True)
    team: Mapped[str | None] = mapped_column(ForeignKey("teams.code"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    percent_complete: Mapped[int] = mapped_column(default=0)
    resolution: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(200), default="manual")
    version: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    notes: Mapped[list[WorkRequestNote]] = relationship(
        lazy="selectin", order_by="WorkRequestNote.position", cascade="all, delete-orphan"
    )


class WorkRequestNote(Base):
    """A progress report on a work request."""

    __tablename__ = "work_request_notes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("work_requests.id"), index=True)
    position: Mapped[int]
    note: Mapped[str] = mapped_column(Text)
    percent_complete: Mapped[int]
    recorded_at: Mapped[datetime]
