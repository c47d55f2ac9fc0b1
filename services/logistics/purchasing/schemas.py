"""Request and response bodies of suppliers, carriers, purchase orders and receipts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.numbers import DecimalValue, NonNegativeQuantity, PositiveQuantity
from shared.timestamps import PlantDate, example_day

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$"
PurchaseOrderStatus = Literal[
    "draft", "placed", "partially_received", "received", "closed", "cancelled"
]


class SupplierCreate(BaseModel):
    """A new supplier."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"code": "BRAKEX", "name": "Brakex Components", "lead_time_days": 4}]
        },
    )

    code: str = Field(
        pattern=CODE_PATTERN, description="Supplier code, unique.", examples=["BRAKEX"]
    )
    name: str = Field(min_length=1, max_length=200, examples=["Brakex Components"])
    lead_time_days: int = Field(
        0, ge=0, le=3650, description="Days from order to delivery.", examples=[10]
    )


class SupplierRead(SupplierCreate):
    """A supplier as stored."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra=None)

    version: int
    created_at: datetime
    updated_at: datetime


class SupplierItemWrite(BaseModel):
    """An item a supplier sells."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64, examples=["SADDLE"])
    unit_price: NonNegativeQuantity = Field(description="Price per unit.", examples=["15"])
    minimum_quantity: NonNegativeQuantity = Field(
        Decimal(0), description="Smallest quantity the supplier accepts.", examples=["5"]
    )
    preferred: bool = Field(False, description="Replenishment buys this sku from this supplier.")


class SupplierItemRead(SupplierItemWrite):
    """An item a supplier sells, as stored."""

    model_config = ConfigDict(from_attributes=True)

    supplier: str


class SupplierItemsWrite(BaseModel):
    """The whole list of items a supplier sells (replaces the previous list)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "sku": "SADDLE",
                            "unit_price": "15",
                            "minimum_quantity": "5",
                            "preferred": True,
                        },
                        {
                            "sku": "CHAIN",
                            "unit_price": "8",
                            "minimum_quantity": "5",
                            "preferred": True,
                        },
                    ]
                }
            ]
        },
    )

    items: list[SupplierItemWrite] = Field(max_length=1000)


class CarrierCreate(BaseModel):
    """A new carrier."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"code": "DHL", "name": "DHL Freight"}]}
    )

    code: str = Field(pattern=CODE_PATTERN, description="Carrier code, unique.", examples=["DHL"])
    name: str = Field(min_length=1, max_length=200, examples=["DHL Freight"])


class CarrierRead(CarrierCreate):
    """A carrier as stored."""

    model_config = ConfigDict(from_attributes=True)

    created_at: datetime


class OrderLineWrite(BaseModel):
    """A sku to order."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64, examples=["SADDLE"])
    quantity: PositiveQuantity = Field(description="Quantity ordered.", examples=["10"])
    unit_price: NonNegativeQuantity = Field(description="Agreed price per unit.", examples=["15"])


class PurchaseOrderCreate(BaseModel):
    """A new purchase order; placed at once unless status is `draft`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "supplier": "VELO",
                    "lines": [
                        {"sku": "SADDLE", "quantity": "10", "unit_price": "15"},
                        {"sku": "CHAIN", "quantity": "10", "unit_price": "8"},
                    ],
                    "expected_date": example_day(7),
                    "status": "placed",
                }
            ]
        },
    )

    supplier: str = Field(description="Supplier code.", examples=["VELO"])
    lines: list[OrderLineWrite] = Field(min_length=1, max_length=500)
    expected_date: PlantDate | None = Field(
        None, description="When the goods should arrive.", examples=[example_day(7)]
    )
    status: Literal["draft", "placed"] = Field("placed", description="`draft` keeps it editable.")


class PurchaseOrderUpdate(BaseModel):
    """Changes to a draft purchase order."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "lines": [
                        {"sku": "SADDLE", "quantity": "20", "unit_price": "15"},
                        {"sku": "CHAIN", "quantity": "10", "unit_price": "8"},
                    ],
                    "expected_date": example_day(10),
                }
            ]
        },
    )

    lines: list[OrderLineWrite] | None = Field(None, min_length=1, max_length=500)
    expected_date: PlantDate | None = None


class OrderLineRead(BaseModel):
    """A line of a purchase order and how much of it came."""

    model_config = ConfigDict(from_attributes=True)

    sku: str
    quantity: DecimalValue
    unit_price: DecimalValue
    received_quantity: DecimalValue


class PurchaseOrderRead(BaseModel):
    """A purchase order as stored."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    number: str
    supplier: str
    status: PurchaseOrderStatus
    expected_date: date | None
    origin: str | None = Field(
        None, description="What proposed it (reorder alert, MRP run), if anything."
    )
    lines: list[OrderLineRead]
    version: int
    created_at: datetime
    placed_at: datetime | None
    updated_at: datetime


class ReceiveLine(BaseModel):
    """Goods of one sku that arrived."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64, examples=["SADDLE"])
    quantity: PositiveQuantity = Field(examples=["10"])
    lot: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="Supplier lot.",
        examples=["PO-3F2A91C0-SADDLE"],
    )


class ReceiveRequest(BaseModel):
    """A delivery arriving at a warehouse."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "warehouse": "MAIN",
                    "lines": [
                        {"sku": "SADDLE", "quantity": "10", "lot": "PO-3F2A91C0-SADDLE"},
                        {"sku": "CHAIN", "quantity": "10", "lot": "PO-3F2A91C0-CHAIN"},
                    ],
                }
            ]
        },
    )

    warehouse: str = Field(min_length=1, max_length=64, examples=["MAIN"])
    lines: list[ReceiveLine] = Field(min_length=1, max_length=500)


class ReceiptLineRead(BaseModel):
    """A received quantity."""

    model_config = ConfigDict(from_attributes=True)

    sku: str
    quantity: DecimalValue
    lot: str | None
    unit_price: DecimalValue


class ReceiptRead(BaseModel):
    """A receipt of goods."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    purchase_order_id: str
    warehouse: str
    received_at: datetime
    lines: list[ReceiptLineRead]


class ReceiveResult(BaseModel):
    """The receipt made and the order after it."""

    receipt: ReceiptRead
    purchase_order: PurchaseOrderRead


class CancelRequest(BaseModel):
    """Why a purchase order is cancelled."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "Supplier cannot deliver"}]}
    )

    reason: str | None = Field(None, max_length=500, examples=["Supplier cannot deliver"])
