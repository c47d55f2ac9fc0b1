"""Request and response bodies of the items API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.numbers import NonNegativeQuantity

ItemKind = Literal["raw", "component", "finished"]
SKU_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$"


class ItemCreate(BaseModel):
    """A new item of the SKU master."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "sku": "BELL",
                    "name": "Bicycle bell",
                    "uom": "pc",
                    "kind": "raw",
                    "reorder_point": "20",
                    "reorder_quantity": "100",
                    "safety_stock": "10",
                    "standard_cost": "2.40",
                    "lead_time_days": 5,
                }
            ]
        },
    )

    sku: str = Field(
        pattern=SKU_PATTERN, description="Stock keeping unit, unique.", examples=["BELL"]
    )
    name: str = Field(min_length=1, max_length=200, examples=["Bicycle bell"])
    uom: str = Field(
        "ea", min_length=1, max_length=20, description="Unit of measure.", examples=["ea"]
    )
    kind: ItemKind = Field(
        description="raw material, component or finished good", examples=["component"]
    )
    reorder_point: NonNegativeQuantity = Field(
        Decimal(0), description="Alert when available falls below."
    )
    reorder_quantity: NonNegativeQuantity = Field(
        Decimal(0), description="Suggested quantity to order."
    )
    safety_stock: NonNegativeQuantity = Field(
        Decimal(0), description="Stock MRP keeps as a buffer."
    )
    standard_cost: NonNegativeQuantity = Field(Decimal(0), description="Standard cost per unit.")
    lead_time_days: int = Field(0, ge=0, le=3650, description="Days to make or buy.")
    lot_tracked: bool = Field(False, description="Movements must name a lot.")
    serial_tracked: bool = Field(False, description="Each unit has its own serial number.")


class ItemUpdate(BaseModel):
    """Fields to change; the sku cannot change."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    uom: str | None = Field(None, min_length=1, max_length=20)
    kind: ItemKind | None = None
    reorder_point: NonNegativeQuantity | None = None
    reorder_quantity: NonNegativeQuantity | None = None
    safety_stock: NonNegativeQuantity | None = None
    standard_cost: NonNegativeQuantity | None = None
    lead_time_days: int | None = Field(None, ge=0, le=3650)
    lot_tracked: bool | None = None
    serial_tracked: bool | None = None


class ItemRead(ItemCreate):
    """An item as stored."""

    model_config = ConfigDict(from_attributes=True)

    version: int = Field(description="Changes on every update; send it back in If-Match.")
    created_at: datetime
    updated_at: datetime
