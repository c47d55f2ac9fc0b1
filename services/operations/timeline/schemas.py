"""Response bodies of order timelines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class TimelineEntry(BaseModel):
    """One event of an order's life."""

    model_config = ConfigDict(from_attributes=True)

    event_id: str
    event_type: str = Field(examples=["production.order.released"])
    source: str = Field(examples=["/plantline/production"])
    subject: str
    occurred_at: datetime
    data: dict[str, Any] = Field(
        description="The event's data; for a schedule, only this order's operations."
    )


class Timeline(BaseModel):
    """Everything that happened to an order, oldest first."""

    order_id: str
    events: list[TimelineEntry]
