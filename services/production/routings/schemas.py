"""Request and response bodies of the routing API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.numbers import NonNegativeQuantity
from shared.timestamps import PlantDate


class OperationLine(BaseModel):
    """A step of a routing."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    sequence: int = Field(ge=1, le=100_000, description="Order of the step.", examples=[10])
    work_center: str = Field(min_length=1, max_length=64, examples=["MILL-1"])
    setup_minutes: NonNegativeQuantity = Field(description="Once per order.", examples=["30"])
    run_minutes_per_unit: NonNegativeQuantity = Field(examples=["2.5"])
    description: str | None = Field(None, max_length=200, examples=["Mill the frame lugs"])


class RoutingCreate(BaseModel):
    """A new routing (a new version if the product has one already)."""

    model_config = ConfigDict(extra="forbid")

    product_sku: str = Field(min_length=1, max_length=64, examples=["BIKE-CITY"])
    effective_from: PlantDate | None = Field(
        None, description="First day this version applies (default today).", examples=["2026-12-01"]
    )
    operations: list[OperationLine] = Field(min_length=1, max_length=200)


class RoutingRead(BaseModel):
    """A stored routing."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    product_sku: str
    version: int
    effective_from: date
    operations: list[OperationLine]
    created_at: datetime
