"""Response bodies of standard and actual costs."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from shared.numbers import DecimalValue


class CostRead(BaseModel):
    """A cost split by kind."""

    model_config = ConfigDict(from_attributes=True)

    material: DecimalValue
    labour: DecimalValue = Field(description="Work-center time at each center's hourly cost.")
    overhead: DecimalValue
    total: DecimalValue


class CostLineRead(BaseModel):
    """A node of the roll-up."""

    level: int = Field(description="0 for the product, 1 for its components, ...")
    sku: str
    quantity: DecimalValue
    own: CostRead = Field(
        description="Bought: its material; made: its own work-center time and overhead."
    )
    total: CostRead = Field(description="Everything below it included.")


class StandardCostRead(BaseModel):
    """A product's standard cost, rolled up through its BOM levels."""

    sku: str
    quantity: DecimalValue = Field(description="Batch size the setup times are spread over.")
    overhead_rate: DecimalValue
    unit_cost: CostRead
    total: CostRead
    lines: list[CostLineRead]


class OrderCostsRead(BaseModel):
    """A production order's standard and actual cost, and the variance (actual - standard)."""

    order_id: str
    product_sku: str
    quantity: DecimalValue = Field(
        description="Quantity the standard is for: the good output once completed, else planned."
    )
    standard: CostRead
    actual: CostRead
    variance: CostRead
    reported_good_quantity: DecimalValue = Field(
        Decimal(0),
        description="Good units of the order's furthest operation the shop floor reported "
        "(corrections included).",
    )
    actual_per_good_unit: DecimalValue | None = Field(
        None, description="actual.total / reported_good_quantity; none before any good unit."
    )
