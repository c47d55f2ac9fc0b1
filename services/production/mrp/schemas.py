"""Request and response bodies of MRP runs, planned orders and forecasts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.numbers import DecimalValue, PositiveQuantity
from shared.timestamps import PlantDate, example_day


class RunRequest(BaseModel):
    """What to plan: how far ahead, in which buckets."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"horizon_days": 90, "bucket": "week"}]}
    )

    horizon_days: int = Field(ge=1, le=730, description="Days ahead to plan.", examples=[90])
    bucket: Literal["day", "week"] = Field(
        "week", description="Size of the planning buckets: demand is netted per bucket."
    )


class PlannedOrderRead(BaseModel):
    """A planned production (make) or purchase (buy) order."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: Literal["make", "buy"]
    sku: str
    quantity: DecimalValue
    release_date: dt.date = Field(description="When to start it (due date less the lead time).")
    due_date: dt.date = Field(description="When it must be available.")
    pegged_to: list[str] = Field(
        description="The demands it serves, through every BOM level: delivery order ids, "
        "`forecast:<id>`, or `safety-stock`."
    )
    supplier: str | None = None
    status: Literal["planned", "firmed", "ordered"] = Field(
        description="planned: proposed by the run; firmed: committed as supply; ordered: a "
        "firmed buy order that purchase orders placed for its sku now cover."
    )
    production_order_id: str | None = None
    ordered_quantity: DecimalValue = Field(
        Decimal(0), description="How much of a firmed buy order placed purchase orders cover."
    )
    purchase_order_ids: list[str] = Field(
        [], description="The purchase orders that cover a firmed buy order."
    )


class MrpExceptionRead(BaseModel):
    """A planner's action message."""

    kind: Literal["late", "expedite", "cancel"] = Field(
        description="late: the planned order should already have been released; expedite: the "
        "open order arrives after it is needed; cancel: the open order is not needed."
    )
    sku: str
    date: dt.date = Field(
        description="late: the release date; expedite and cancel: the open order's date."
    )
    needed_date: dt.date | None = None
    quantity: DecimalValue
    planned_order_id: str | None = None
    open_order: str | None = Field(
        None,
        description="The open order: `purchase-order:<id>`, `purchase-proposal:<id>` (a draft "
        "logistics proposed), `production-order:<id>` or `planned-order:<id>`.",
    )
    order_number: str | None = Field(
        None,
        description="The open order's number, for people: `PO-…` or `MO-…`.",
        examples=["PO-3F2A91C0"],
    )
    for_orders: list[str] = Field(
        [],
        description="late: the orders the planned order serves, by number where known "
        "(`DO-…`, `MO-…`), else `forecast:<id>` or `safety-stock`.",
        examples=[["DO-8C1E22AB"]],
    )


class SkuSupplyRead(BaseModel):
    """All the supply of one sku the run counted, side by side, and what it planned on top."""

    sku: str = Field(examples=["WHEEL"])
    on_hand: DecimalValue = Field(description="On hand, less what is on hold.", examples=["40"])
    allocated: DecimalValue = Field(
        description="Reserved in inventory for orders already.", examples=["12"]
    )
    open_purchase_orders: DecimalValue = Field(
        description="Still to arrive on placed purchase orders.", examples=["100"]
    )
    proposed_purchase_orders: DecimalValue = Field(
        description="On draft purchase orders logistics proposed (from reorder alerts or "
        "earlier runs) and nobody placed yet.",
        examples=["50"],
    )
    open_production_orders: DecimalValue = Field(
        description="Still to come out of open production orders.", examples=["0"]
    )
    firmed_orders: DecimalValue = Field(
        description="Firmed buy orders no purchase order covers yet.", examples=["0"]
    )
    planned_orders: DecimalValue = Field(
        description="What this run planned on top of all that.", examples=["20"]
    )
    orders: list[str] = Field(
        description="The open orders counted, by number where known, earliest first.",
        examples=[["PO-3F2A91C0", "PO-77B0D1E2"]],
    )


class RunRead(BaseModel):
    """An MRP run and its result."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    start_date: dt.date
    horizon_days: int
    bucket: Literal["day", "week"]
    created_at: dt.datetime
    planned_orders: list[PlannedOrderRead]
    exceptions: list[MrpExceptionRead]
    supply: list[SkuSupplyRead] = Field(
        [], description="Per sku, every kind of supply the run counted, side by side."
    )


class ForecastCreate(BaseModel):
    """Expected sales of a sku on a date."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"sku": "BIKE-CITY", "date": example_day(30), "quantity": "40"}]
        },
    )

    sku: str = Field(min_length=1, max_length=64, examples=["BIKE-CITY"])
    date: PlantDate
    quantity: PositiveQuantity = Field(examples=["40"])


class ForecastRead(BaseModel):
    """A stored forecast."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    sku: str
    date: dt.date
    quantity: DecimalValue
    created_at: dt.datetime
