"""Request and response bodies of the reservations API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.inventory.domain.stock import LIMIT
from services.inventory.items.schemas import SKU_PATTERN
from services.inventory.movements.schemas import MovementRead
from services.inventory.warehouses.schemas import CODE_PATTERN
from shared.numbers import DecimalValue, PositiveQuantity

ReservationStatus = Literal["confirmed", "released", "consumed"]


class ReservationLineIn(BaseModel):
    """Stock of one sku to set aside."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(pattern=SKU_PATTERN, examples=["SADDLE"])
    quantity: PositiveQuantity = Field(le=LIMIT, examples=["4"])
    warehouse: str | None = Field(
        None, pattern=CODE_PATTERN, description="Only from this warehouse (default: any)."
    )


class ReservationCreate(BaseModel):
    """Stock to reserve for a reference: every line, or none."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reference": "DO-000001",
                    "lines": [{"sku": "SADDLE", "quantity": "2", "warehouse": "MAIN"}],
                }
            ]
        },
    )

    reference: str = Field(
        min_length=1, max_length=100, description="The order it is for.", examples=["DO-000001"]
    )
    lines: list[ReservationLineIn] = Field(min_length=1, max_length=500)


class ReservationLineRead(BaseModel):
    """A reserved line."""

    model_config = ConfigDict(from_attributes=True)

    sku: str
    quantity: DecimalValue
    warehouse: str | None


class AllocationRead(BaseModel):
    """Where part of a line is held."""

    sku: str
    warehouse: str
    location: str | None
    lot: str | None
    quantity: DecimalValue


class ReservationRead(BaseModel):
    """A reservation."""

    id: str
    status: ReservationStatus
    reference: str
    lines: list[ReservationLineRead]
    allocations: list[AllocationRead]
    created_at: datetime
    updated_at: datetime


class SerialsOfSku(BaseModel):
    """The serials to issue of one serial-tracked sku of the reservation."""

    model_config = ConfigDict(extra="forbid")

    sku: str = Field(examples=["BIKE-CITY"])
    serials: list[str] = Field(
        min_length=1,
        max_length=10000,
        description="One per reserved unit, in stock where the reservation holds them.",
        examples=[["SN-1001", "SN-1002"]],
    )


class ReservationIssue(BaseModel):
    """What to issue of a reservation: all of it; serial-tracked skus may name their serials."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"serials": [{"sku": "BIKE-CITY", "serials": ["SN-1001", "SN-1002"]}]}]
        },
    )

    serials: list[SerialsOfSku] = Field(
        default_factory=list,
        description="Serial-tracked skus: the serials taken (default: the oldest in stock).",
    )


class ReservationIssued(ReservationRead):
    """A reservation after its stock was issued, with the issue movements."""

    movements: list[MovementRead]


class Shortage(BaseModel):
    """What a line lacks."""

    sku: str
    requested: DecimalValue
    available: DecimalValue
