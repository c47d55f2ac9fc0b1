"""Request and response bodies of the movements API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.inventory.domain.stock import LIMIT
from services.inventory.items.schemas import SKU_PATTERN
from services.inventory.warehouses.schemas import CODE_PATTERN
from services.inventory.warehouses.service import DEFAULT_WAREHOUSE
from shared.numbers import MAX_DIGITS, SCALE, DecimalValue, NonNegativeQuantity
from shared.schema_cases import NONZERO, NULL, case, decimal, one_present
from shared.timestamps import PlantDate

MovementKind = Literal["receipt", "issue", "transfer", "adjustment", "scrap"]
SignedQuantity = Annotated[
    DecimalValue, Field(ge=-LIMIT, le=LIMIT, max_digits=MAX_DIGITS, decimal_places=SCALE)
]
LOT_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$"


class MovementCreate(BaseModel):
    """A stock movement to record."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "receipt",
                    "sku": "TUBE-AL",
                    "quantity": "50",
                    "warehouse": "MAIN",
                    "lot": "ALU-2026-48",
                    "unit_cost": "6.10",
                    "reference": "PO-000001",
                }
            ],
            # The rules of _check, by kind (a transfer to the very place it leaves is refused
            # too, which a schema cannot say).
            "anyOf": [
                case(
                    {"kind": ["receipt"]},
                    quantity=decimal(gt=0),
                    to_warehouse=NULL,
                    to_location=NULL,
                )
                | {"anyOf": [{"properties": {"expires_on": NULL}}, one_present("lot")]},
                case(
                    {"kind": ["issue", "scrap"]},
                    quantity=decimal(gt=0),
                    to_warehouse=NULL,
                    to_location=NULL,
                    expires_on=NULL,
                ),
                case({"kind": ["transfer"]}, quantity=decimal(gt=0), expires_on=NULL)
                | one_present("to_warehouse", "to_location"),
                case(
                    {"kind": ["adjustment"]},
                    quantity=NONZERO,
                    to_warehouse=NULL,
                    to_location=NULL,
                    expires_on=NULL,
                ),
            ],
        },
    )

    kind: MovementKind = Field(
        description="receipt adds stock, issue and scrap take it, transfer moves it, "
        "adjustment corrects it (a negative quantity takes stock away).",
        examples=["receipt"],
    )
    sku: str = Field(pattern=SKU_PATTERN, examples=["TUBE-AL"])
    quantity: SignedQuantity = Field(
        description="Greater than zero; an adjustment may be negative but not zero.",
        examples=["12"],
    )
    warehouse: str = Field(DEFAULT_WAREHOUSE, pattern=CODE_PATTERN, examples=["MAIN"])
    to_warehouse: str | None = Field(
        None, pattern=CODE_PATTERN, description="Transfers: where to (default: the same warehouse)."
    )
    location: str | None = Field(
        None, pattern=CODE_PATTERN, description="Bin; none = the warehouse floor."
    )
    to_location: str | None = Field(
        None, pattern=CODE_PATTERN, description="Transfers: bin to move to."
    )
    lot: str | None = Field(
        None, pattern=LOT_PATTERN, description="Lot; issues without one draw oldest first."
    )
    expires_on: PlantDate | None = Field(
        None, description="Receipts: the lot's expiry date; issues take the first to expire first."
    )
    unit_cost: NonNegativeQuantity | None = Field(
        None, le=LIMIT, description="Receipts: cost per unit (default: the item's standard cost)."
    )
    reference: str | None = Field(
        None, max_length=100, description="Order, receipt or delivery the movement belongs to."
    )
    reason: str | None = Field(None, max_length=500, examples=["cycle count"])
    serials: list[Annotated[str, Field(pattern=LOT_PATTERN)]] | None = Field(
        None,
        max_length=10000,
        description="Serial-tracked items: one serial per unit, unique per sku. Receipts bring "
        "new ones; issues, scrap, transfers and negative adjustments name serials in stock.",
        examples=[["SN-1001", "SN-1002"]],
    )

    @model_validator(mode="after")
    def _check(self) -> MovementCreate:
        if self.kind == "adjustment":
            if self.quantity == 0:
                raise ValueError("an adjustment's quantity must not be zero")
        elif self.quantity <= 0:
            raise ValueError("quantity must be greater than zero")
        if self.kind == "transfer":
            if self.to_warehouse is None and self.to_location is None:
                raise ValueError("a transfer needs to_warehouse or to_location")
            if (self.to_warehouse or self.warehouse, self.to_location or "") == (
                self.warehouse,
                self.location or "",
            ):
                raise ValueError("a transfer must go to another warehouse or location")
        elif self.to_warehouse is not None or self.to_location is not None:
            raise ValueError("only transfers have to_warehouse or to_location")
        if self.expires_on is not None and (self.kind != "receipt" or not self.lot):
            raise ValueError("only receipts into a lot have expires_on")
        return self


class MovementLineRead(BaseModel):
    """The change a movement made at one place and lot."""

    warehouse: str
    location: str | None
    lot: str | None
    quantity: DecimalValue = Field(description="Signed change of on hand.")


class MovementRead(BaseModel):
    """A movement of the ledger."""

    id: str
    kind: MovementKind
    sku: str
    quantity: DecimalValue
    warehouse: str
    to_warehouse: str | None
    location: str | None
    to_location: str | None
    lot: str | None
    expires_on: date | None
    unit_cost: DecimalValue
    value: DecimalValue = Field(description="quantity x unit_cost")
    reference: str | None
    reason: str | None
    recorded_by: str
    recorded_at: datetime
    lines: list[MovementLineRead]
