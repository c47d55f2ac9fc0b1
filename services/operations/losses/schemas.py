"""Request and response bodies of the loss reasons."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

REASON_PATTERN = r"^[a-z0-9][a-z0-9_\-]{0,31}$"
"""A loss reason's code: lower case, as OEE reports and events carry it."""


class LossReasonCreate(BaseModel):
    """A loss reason the plant adds to its list."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "tool-change",
                    "name": "Tool change",
                    "description": "Worn saw blade or welding tip replaced.",
                }
            ]
        },
    )

    code: str = Field(
        pattern=REASON_PATTERN,
        description="Lower-case letters, digits, '-' and '_', up to 32, e.g. tool-change.",
        examples=["tool-change"],
    )
    name: str = Field(min_length=1, max_length=100, examples=["Tool change"])
    description: str = Field("", max_length=500)


class LossReasonUpdate(BaseModel):
    """What changes of a loss reason; a retired one (`active: false`) cannot be given any more,
    and its past pauses keep it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "Tool change", "active": False}]},
    )

    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=500)
    active: bool | None = None


class LossReasonRead(BaseModel):
    """A reason a task is paused or a work center stopped."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    description: str
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime
