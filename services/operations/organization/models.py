"""Tables of departments, teams and team members."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.operations.database import Base
from shared.db import new_id


class Department(Base):
    """A part of the plant with its own work centers and teams."""

    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Team(Base):
    """A group of people in a department."""

    __tablename__ = "teams"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    created_at: Mapped[datetime]
    members: Mapped[list[TeamMember]] = relationship(
        lazy="selectin", order_by="TeamMember.position", cascade="all, delete-orphan"
    )


class TeamMember(Base):
    """A person in a team, with the skills they bring."""

    __tablename__ = "team_members"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    team: Mapped[str] = mapped_column(ForeignKey("teams.code"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    skills: Mapped[list[str]] = mapped_column(JSON)
