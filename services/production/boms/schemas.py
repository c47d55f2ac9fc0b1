"""Request and response bodies of the BOM API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.numbers import DecimalValue, NonNegativeQuantity, PositiveQuantity
from shared.timestamps import PlantDate, example_day


class ComponentLine(BaseModel):
    """A component and how much of it the BOM's output quantity needs."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    sku: str = Field(min_length=1, max_length=64, examples=["WHEEL-28"])
    quantity: PositiveQuantity = Field(examples=["2"])
    # The bound stands in the type, where the OpenAPI document states it, not beside it.
    scrap_factor: Annotated[NonNegativeQuantity, Field(le=10)] = Field(
        Decimal(0),
        description="Expected loss as a fraction of the quantity: 0.05 plans 5 % more (at most 10).",
        examples=["0.05"],
    )


class BomCreate(BaseModel):
    """A new BOM (a new version if the product has one already)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "product_sku": "WHEEL-28",
                    "output_quantity": "1",
                    "components": [
                        {"sku": "RIM-28", "quantity": "1"},
                        {"sku": "SPOKE", "quantity": "32", "scrap_factor": "0.05"},
                        {"sku": "TIRE-28", "quantity": "1"},
                    ],
                }
            ]
        },
    )

    product_sku: str = Field(min_length=1, max_length=64, examples=["BIKE-CITY"])
    output_quantity: PositiveQuantity = Field(
        Decimal(1), description="Quantity of the product the component lines make."
    )
    effective_from: PlantDate | None = Field(
        None,
        description="First day this version applies (default today).",
        examples=[example_day(1)],
    )
    components: list[ComponentLine] = Field(min_length=1, max_length=500)


class BomRead(BaseModel):
    """A stored BOM."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    product_sku: str
    version: int
    output_quantity: PositiveQuantity
    effective_from: date
    components: list[ComponentLine]
    created_at: datetime


class ExplosionLine(BaseModel):
    """A line of an indented explosion."""

    level: int = Field(description="1 for the product's own components, 2 for theirs, ...")
    sku: str
    parent_sku: str
    quantity: DecimalValue = Field(description="Quantity needed, scrap included.")
    quantity_per: DecimalValue = Field(description="Quantity per one unit of the parent, no scrap.")
    scrap_factor: DecimalValue
    has_bom: bool = Field(description="The component has a BOM of its own (it is made).")


class Explosion(BaseModel):
    """What a quantity of a product is made of, level by level."""

    product_sku: str
    quantity: DecimalValue
    on: date = Field(description="Date whose effective BOM versions were used.")
    bom_id: str
    version: int
    lines: list[ExplosionLine]
    totals: list[Requirement] = Field(description="Quantity per sku over all levels.")


class Requirement(BaseModel):
    """A quantity of one sku."""

    sku: str
    quantity: DecimalValue


class UsageLine(BaseModel):
    """A product that uses the item, directly (level 1) or through a parent (level 2, ...)."""

    level: int
    sku: str = Field(description="The component at this level.")
    parent_sku: str
    quantity_per: DecimalValue
    bom_id: str | None
    version: int | None


class WhereUsed(BaseModel):
    """Every product whose effective BOM uses an item."""

    sku: str
    on: date
    used_in: list[UsageLine]


Explosion.model_rebuild()
