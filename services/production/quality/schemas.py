"""Request and response bodies of the quality API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.numbers import DecimalValue

InspectionResult = Literal["pass", "fail"]


class CharacteristicLine(BaseModel):
    """A characteristic to measure and its limits (either bound may be open)."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    name: str = Field(min_length=1, max_length=100, examples=["brake force"])
    unit: str | None = Field(None, max_length=20, examples=["N"])
    lower_limit: DecimalValue | None = Field(None, examples=["300"])
    upper_limit: DecimalValue | None = Field(None, examples=["600"])

    @model_validator(mode="after")
    def _ordered(self) -> CharacteristicLine:
        if (
            self.lower_limit is not None
            and self.upper_limit is not None
            and self.lower_limit > self.upper_limit
        ):
            raise ValueError("lower_limit is above upper_limit")
        return self


class InspectionPlanCreate(BaseModel):
    """A new inspection plan for a product (a new version if it has one)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "product_sku": "BIKE-CITY",
                    "sample_size": 2,
                    "characteristics": [
                        {
                            "name": "brake force",
                            "unit": "N",
                            "lower_limit": "300",
                            "upper_limit": "600",
                        }
                    ],
                }
            ]
        },
    )

    product_sku: str = Field(min_length=1, max_length=64, examples=["BIKE-CITY"])
    sample_size: int = Field(ge=1, le=100_000, description="Units to inspect per order or lot.")
    characteristics: list[CharacteristicLine] = Field(default=[], max_length=200)


class InspectionPlanRead(BaseModel):
    """A stored inspection plan."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    product_sku: str
    version: int
    sample_size: int
    characteristics: list[CharacteristicLine]
    created_at: datetime


class Measurement(BaseModel):
    """A measured value of a characteristic of the product's inspection plan."""

    model_config = ConfigDict(extra="forbid")

    characteristic: str = Field(min_length=1, max_length=100, examples=["brake force"])
    value: DecimalValue = Field(examples=["420"])


class DefectCount(BaseModel):
    """How many defects of one code were found."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    code: str = Field(min_length=1, max_length=64, examples=["SCRATCH"])
    count: int = Field(ge=1, le=1_000_000, examples=[3])


class InspectionCreate(BaseModel):
    """The result of inspecting an order's output."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "order_id": "0f6f1c8e-2b7e-4d7c-a0a4-6c3f9e1d2a10",
                    "lot": "L-BIKE-CITY-0f6f1c",
                    "result": "pass",
                    "measurements": [{"characteristic": "brake force", "value": "420"}],
                    "notes": "Both sampled bikes tested on the brake rig",
                }
            ]
        },
    )

    order_id: str = Field(min_length=1, max_length=36)
    lot: str | None = Field(
        None, min_length=1, max_length=64, description="Default: the order's lot, if any."
    )
    result: InspectionResult
    measurements: list[Measurement] = Field(default=[], max_length=1000)
    defects: list[DefectCount] = Field(default=[], max_length=200)
    notes: str | None = Field(None, max_length=1000)


class MeasurementRead(BaseModel):
    """A measured value and whether it is within the plan's limits (null: not in the plan)."""

    characteristic: str
    value: DecimalValue
    within_limits: bool | None


class InspectionRead(BaseModel):
    """A recorded inspection."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    order_id: str
    product_sku: str
    lot: str | None
    result: InspectionResult
    attempt: int = Field(description="1 for the order's first inspection (first pass), 2, ...")
    plan_id: str | None
    measurements: list[MeasurementRead]
    defects: list[DefectCount]
    notes: str | None
    inspected_at: datetime


class ProductYield(BaseModel):
    """First-pass yield of a product."""

    product_sku: str
    orders_inspected: int
    passed_first_time: int
    first_pass_yield: DecimalValue = Field(description="0 to 1.")
    inspections: int
    failed_inspections: int


class DefectShare(BaseModel):
    """A line of the defect Pareto."""

    code: str
    count: int
    share: DecimalValue
    cumulative_share: DecimalValue


class QualityReport(BaseModel):
    """First-pass yield per product and the defect Pareto."""

    products: list[ProductYield]
    defects: list[DefectShare]
