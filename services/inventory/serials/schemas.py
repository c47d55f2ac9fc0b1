"""Response bodies of the serials API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

SerialStatus = Literal["in_stock", "issued", "scrapped", "written_off"]


class SerialMovementRead(BaseModel):
    """A movement of one serial."""

    movement_id: str
    kind: str = Field(examples=["receipt"])
    reference: str | None = Field(examples=["DO-00012"])
    warehouse: str = Field(description="Where the serial was after the movement.")
    location: str | None
    status: SerialStatus = Field(description="The serial's status after the movement.")
    recorded_at: datetime


class SerialRead(BaseModel):
    """A serial of a serial-tracked item: where it is and its history."""

    sku: str = Field(examples=["EBIKE"])
    serial: str = Field(examples=["SN-1001"])
    status: SerialStatus
    warehouse: str = Field(description="Where it is, or was last while in stock.")
    location: str | None
    lot: str | None
    movements: list[SerialMovementRead] = Field(description="Oldest first.")
