"""Request and response bodies of the holds API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.inventory.items.schemas import SKU_PATTERN
from services.inventory.movements.schemas import LOT_PATTERN, MovementRead
from shared.numbers import DecimalValue

HoldStatus = Literal["active", "released", "scrapped"]


class HoldCreate(BaseModel):
    """A lot to put on hold."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "sku": "TUBE-AL",
                    "lot": "ALU-2026-48",
                    "reason": "supplier recall: wall thickness under spec",
                    "before_receipt": False,
                }
            ]
        },
    )

    sku: str = Field(pattern=SKU_PATTERN, examples=["TUBE-AL"])
    lot: str = Field(pattern=LOT_PATTERN, examples=["ALU-2026-48"])
    reason: str = Field(
        min_length=1, max_length=500, examples=["supplier recall: wall thickness under spec"]
    )
    before_receipt: bool = Field(
        False,
        description="Hold a lot no stock of which was booked yet (a supplier's recall notice): "
        "whatever arrives into it is held. Without it, an unknown lot is a 404.",
    )


class HeldStock(BaseModel):
    """What a hold keeps at one place."""

    warehouse: str
    location: str | None
    quantity: DecimalValue


class HoldRead(BaseModel):
    """A hold on a lot."""

    id: str
    sku: str
    lot: str
    status: HoldStatus
    reason: str
    quantity: DecimalValue = Field(description="How much the hold keeps (or kept).")
    held: list[HeldStock]
    created_at: datetime
    updated_at: datetime


class HoldScrapped(HoldRead):
    """A hold after its stock was scrapped, with the scrap movements."""

    movements: list[MovementRead]
