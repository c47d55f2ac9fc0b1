"""Request and response bodies of the routing API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.numbers import NonNegativeQuantity, PositiveQuantity
from shared.timestamps import PlantDate, example_day


class OperationLine(BaseModel):
    """A step of a routing."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    sequence: int = Field(ge=1, le=100_000, description="Order of the step.", examples=[10])
    work_center: str = Field(min_length=1, max_length=64, examples=["WELD"])
    setup_minutes: NonNegativeQuantity = Field(description="Once per order.", examples=["30"])
    run_minutes_per_unit: NonNegativeQuantity = Field(examples=["2.5"])
    overlap_quantity: PositiveQuantity | None = Field(
        None,
        description="This operation may start once the operation before has reported this many "
        "good units (none: once it has made all of them).",
        examples=["5"],
    )
    description: str | None = Field(None, max_length=200, examples=["Weld the frame"])


class RoutingCreate(BaseModel):
    """A new routing (a new version if the product has one already)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "product_sku": "FRAME-RAW",
                    "operations": [
                        {
                            "sequence": 10,
                            "work_center": "SAW",
                            "setup_minutes": "15",
                            "run_minutes_per_unit": "6",
                            "description": "Cut the tubes",
                        },
                        {
                            "sequence": 20,
                            "work_center": "WELD",
                            "setup_minutes": "20",
                            "run_minutes_per_unit": "25",
                            "description": "Weld the frame",
                        },
                    ],
                }
            ]
        },
    )

    product_sku: str = Field(min_length=1, max_length=64, examples=["BIKE-CITY"])
    effective_from: PlantDate | None = Field(
        None,
        description="First day this version applies (default today).",
        examples=[example_day(1)],
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
