"""Request and response bodies of the BOM API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from shared.numbers import PositiveQuantity


class ComponentLine(BaseModel):
    """A component and how much of it one output quantity needs."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    sku: str = Field(min_length=1, max_length=64, examples=["WHEEL-26"])
    quantity: PositiveQuantity = Field(examples=["2"])


class BomCreate(BaseModel):
    """A new BOM (a new version if the product has one already)."""

    model_config = ConfigDict(extra="forbid")

    product_sku: str = Field(min_length=1, max_length=64, examples=["BIKE-CITY"])
    output_quantity: PositiveQuantity = Field(Decimal(1), description="Quantity the lines are for.")
    components: list[ComponentLine] = Field(min_length=1, max_length=500)


class BomRead(BaseModel):
    """A stored BOM."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    product_sku: str
    version: int
    output_quantity: PositiveQuantity
    components: list[ComponentLine]
    created_at: datetime
