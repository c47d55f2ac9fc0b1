"""Request and response bodies of promises (capable to promise)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.numbers import DecimalValue, PositiveQuantity


class PromiseRequest(BaseModel):
    """How much of what a customer asks for."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"sku": "BIKE-CITY", "quantity": "4", "warehouse": "MAIN"}]
        },
    )

    sku: str = Field(min_length=1, max_length=64, examples=["BIKE-CITY"])
    quantity: PositiveQuantity = Field(examples=["4"])
    warehouse: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="Where the goods are wanted. Stock is counted across warehouses (production "
        "keeps totals only).",
        examples=["MAIN"],
    )


class ConstraintRead(BaseModel):
    """The binding constraint, in parts."""

    kind: Literal["stock", "supply", "material", "work_center", "lead_time"] = Field(
        description="stock: on hand now; supply: an open purchase or production order; "
        "material: a component that arrives last; work_center: the current schedule keeps it "
        "busy; lead_time: the item's own lead time (or making time) and nothing else."
    )
    sku: str | None = Field(None, examples=["FRAME-ALU"])
    work_center: str | None = Field(None, examples=["WELD"])
    order: str | None = Field(None, description="The open order's number.", examples=["PO-3F2A"])


class PromiseRead(BaseModel):
    """The earliest date the quantity can be delivered, and what sets it."""

    sku: str = Field(examples=["BIKE-CITY"])
    quantity: DecimalValue = Field(examples=["20"])
    warehouse: str | None = Field(None, examples=["MAIN"])
    promised_date: dt.date = Field(examples=["2026-12-09"])
    ready_at: dt.datetime = Field(
        description="The instant the goods can be ready (UTC).", examples=["2026-12-09T11:30:00Z"]
    )
    limited_by: str = Field(
        description="The binding constraint: `stock`, `supply:<order number>`, "
        "`material:<sku>`, `work_center:<code>` or `lead_time`.",
        examples=["material:FRAME-ALU"],
    )
    constraint: ConstraintRead
