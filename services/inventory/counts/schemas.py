"""Request and response bodies of the cycle counts API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from services.inventory.domain.stock import LIMIT
from services.inventory.items.schemas import SKU_PATTERN
from services.inventory.movements.schemas import LOT_PATTERN, MovementRead
from services.inventory.warehouses.schemas import CODE_PATTERN
from services.inventory.warehouses.service import DEFAULT_WAREHOUSE
from shared.numbers import DecimalValue, NonNegativeQuantity


class CycleCountCreate(BaseModel):
    """What was counted at one place and lot."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "sku": "TUBE-AL",
                    "warehouse": "MAIN",
                    "lot": "ALU-2026-48",
                    "counted_quantity": "48",
                    "reason": "cycle count",
                }
            ]
        },
    )

    sku: str = Field(pattern=SKU_PATTERN, examples=["TUBE-AL"])
    warehouse: str = Field(DEFAULT_WAREHOUSE, pattern=CODE_PATTERN, examples=["MAIN"])
    location: str | None = Field(None, pattern=CODE_PATTERN, description="None = the floor.")
    lot: str | None = Field(None, pattern=LOT_PATTERN, description="None = stock without a lot.")
    counted_quantity: NonNegativeQuantity = Field(le=LIMIT, examples=["48"])
    reason: str = Field("cycle count", min_length=1, max_length=500)


class CycleCountRead(BaseModel):
    """A count compared with the books, and the adjustment it booked if they differed."""

    sku: str
    warehouse: str
    location: str | None
    lot: str | None
    book_quantity: DecimalValue = Field(description="On hand before the count.")
    counted_quantity: DecimalValue
    difference: DecimalValue = Field(description="counted - book; the adjustment booked.")
    movement: MovementRead | None = Field(description="The adjustment, if any.")
