"""Request and response bodies of delivery orders and shipments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.numbers import DecimalValue, PositiveQuantity
from shared.timestamps import PlantDate, example_day

DeliveryStatus = Literal[
    "open", "picked", "partially_shipped", "shipped", "delivered", "closed", "cancelled"
]
"""`partially_shipped`: a part left, the rest (the backorder) is still to ship; `closed`: a part
shipped and the rest was cancelled."""
ShipmentStatus = Literal["dispatching", "dispatched", "in_transit", "delivered", "exception"]
"""`dispatching`: the goods are claimed and inventory is issuing them (a retry completes it)."""


class DeliveryLineWrite(BaseModel):
    """A sku and quantity to deliver."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64, examples=["BIKE-CITY"])
    quantity: PositiveQuantity = Field(examples=["4"])


class DeliveryOrderCreate(BaseModel):
    """A customer's order to deliver."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "customer": "Velo Shop Lyon",
                    "ship_to": "12 rue Mercière, Lyon",
                    "due_date": example_day(14),
                    "warehouse": "MAIN",
                    "lines": [{"sku": "BIKE-CITY", "quantity": "2"}],
                }
            ]
        },
    )

    customer: str = Field(min_length=1, max_length=200, examples=["Velo Shop Lyon"])
    ship_to: str = Field(min_length=1, max_length=500, examples=["12 rue Mercière, Lyon"])
    due_date: PlantDate = Field(
        description="Date the customer expects the goods.", examples=[example_day(14)]
    )
    warehouse: str | None = Field(
        None, max_length=64, description="Ship from this warehouse only.", examples=["MAIN"]
    )
    lines: list[DeliveryLineWrite] = Field(min_length=1, max_length=500)


class DeliveryLineRead(BaseModel):
    """A line of a delivery order: ordered, shipped so far, and still open."""

    model_config = ConfigDict(from_attributes=True)

    sku: str
    quantity: DecimalValue
    shipped_quantity: DecimalValue = Field(Decimal(0), description="Shipped so far, in all parts.")
    open_quantity: DecimalValue = Field(
        Decimal(0), description="Still to ship (the backorder); 0 once shipped or cancelled."
    )


class ShipmentLineRead(BaseModel):
    """A sku and quantity that left with a shipment."""

    model_config = ConfigDict(from_attributes=True)

    sku: str
    quantity: DecimalValue


class DeliveryOrderRead(BaseModel):
    """A delivery order as stored."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    number: str
    customer: str
    ship_to: str
    due_date: date
    warehouse: str | None
    status: DeliveryStatus
    reservation_id: str | None = Field(description="Inventory reservation once picked.")
    cancel_reason: str | None = Field(None, description="Why it, or its rest, was cancelled.")
    lines: list[DeliveryLineRead]
    version: int
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="after")
    def _nothing_open_once_closed(self) -> DeliveryOrderRead:
        if self.status in ("cancelled", "closed", "shipped", "delivered"):
            for line in self.lines:
                line.open_quantity = Decimal(0)
        return self


class ShipRequest(BaseModel):
    """How the goods leave."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "carrier": "DHL",
                    "tracking_number": "JD014600003828",
                    "lines": [{"sku": "BIKE-CITY", "quantity": "2"}],
                }
            ]
        },
    )

    carrier: str | None = Field(None, max_length=64, description="Carrier code.", examples=["DHL"])
    tracking_number: str | None = Field(None, max_length=100, examples=["JD014600003828"])
    lines: list[DeliveryLineWrite] | None = Field(
        None,
        min_length=1,
        max_length=500,
        description="Ship only these quantities; the rest stays open as the order's backorder "
        "(status `partially_shipped`). Without lines, everything still open ships, or nothing (409).",
        examples=[[{"sku": "BIKE-CITY", "quantity": "2"}]],
    )


class CancelRequest(BaseModel):
    """Why a delivery order, or the rest of it, is cancelled."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reason": "Customer takes the two bikes shipped and no more"}]
        },
    )

    reason: str | None = Field(
        None, max_length=500, examples=["Customer takes the two bikes shipped and no more"]
    )


class ShipmentRead(BaseModel):
    """A shipment as stored."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    delivery_order_id: str
    carrier: str | None
    tracking_number: str | None
    status: ShipmentStatus
    note: str | None
    dispatched_at: datetime
    delivered_at: datetime | None
    on_time: bool | None = Field(description="Delivered by the due date; null until delivered.")
    lines: list[ShipmentLineRead] = Field(
        default_factory=list, description="What left with this shipment."
    )


class ShipResult(BaseModel):
    """The shipment made and the delivery order after it."""

    shipment: ShipmentRead
    delivery_order: DeliveryOrderRead


class ShipmentStatusUpdate(BaseModel):
    """What the carrier reports."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"status": "delivered", "note": "Left with the receptionist"}]
        },
    )

    status: Literal["in_transit", "delivered", "exception"] = Field(examples=["delivered"])
    note: str | None = Field(None, max_length=500, examples=["Left with the receptionist"])
