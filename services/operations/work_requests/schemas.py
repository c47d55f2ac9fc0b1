"""Request and response bodies of work requests."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RequestKind = Literal["maintenance", "quality", "material", "engineering"]
RequestStatus = Literal["open", "assigned", "in_progress", "closed"]


class WorkRequestCreate(BaseModel):
    """A request for work from a department."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "department": "FAB",
                    "kind": "maintenance",
                    "title": "Wire feeder jams on WELD",
                    "description": "Jammed twice this shift welding frames; the feed rollers "
                    "look worn.",
                    "work_center": "WELD",
                    "sku": "FRAME-RAW",
                }
            ]
        },
    )

    department: str = Field(description="Code of the requesting department.", examples=["FAB"])
    kind: RequestKind = Field(examples=["maintenance"])
    title: str = Field(min_length=1, max_length=300, examples=["Wire feeder jams on WELD"])
    description: str = Field("", max_length=5000)
    order_id: str | None = Field(None, max_length=64, description="The production order concerned.")
    work_center: str | None = Field(None, max_length=64, description="The work center concerned.")
    sku: str | None = Field(None, max_length=64, description="The item concerned.")


class Assignment(BaseModel):
    """The team that takes the request on."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"team": "MAINT-A"}]})

    team: str = Field(
        description="Code of an existing team, of any department.", examples=["MAINT-A"]
    )


class Progress(BaseModel):
    """A progress report."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"note": "Feed rollers ordered, fitting tomorrow", "percent_complete": 40}]
        },
    )

    note: str = Field(
        min_length=1, max_length=5000, examples=["Feed rollers ordered, fitting tomorrow"]
    )
    percent_complete: int = Field(ge=0, le=100, examples=[40])


class Closure(BaseModel):
    """How the request ended."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"resolution": "Feed rollers replaced, test weld good"}]},
    )

    resolution: str = Field(
        min_length=1, max_length=5000, examples=["Feed rollers replaced, test weld good"]
    )


class NoteRead(BaseModel):
    """A progress report as recorded."""

    model_config = ConfigDict(from_attributes=True)

    note: str
    percent_complete: int
    recorded_at: datetime


class WorkRequestRead(BaseModel):
    """A work request and its history."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    department: str | None = Field(
        description="Empty for requests raised from events until assigned."
    )
    kind: RequestKind
    title: str
    description: str
    order_id: str | None
    work_center: str | None
    sku: str | None
    team: str | None
    status: RequestStatus
    percent_complete: int
    resolution: str | None
    origin: str = Field(description="`manual`, or the event type that raised the request.")
    notes: list[NoteRead]
    version: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
