"""Request and response bodies of the items API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.numbers import NonNegativeQuantity

ItemKind = Literal["raw", "component", "finished"]
Tracking = Literal["none", "lot", "serial"]
TRACKING_DESCRIPTION = (
    "none; lot: receipts name a lot; serial: every unit received, made or issued names its "
    "own serial number. The same as lot_tracked and serial_tracked, which it sets."
)


def tracking_of(lot_tracked: bool, serial_tracked: bool) -> Tracking:
    """The tracking the two flags amount to; serials win over lots."""
    return "serial" if serial_tracked else "lot" if lot_tracked else "none"


def tracked_flags(
    tracking: Tracking, lot_tracked: bool | None, serial_tracked: bool | None
) -> tuple[bool, bool]:
    """The flags a tracking sets; ValueError if flags sent beside it say otherwise."""
    wanted_serial = tracking == "serial"
    wanted_lot = tracking == "lot" or bool(lot_tracked and wanted_serial)
    if serial_tracked is not None and serial_tracked != wanted_serial:
        raise ValueError(f"tracking '{tracking}' contradicts serial_tracked={serial_tracked}")
    if lot_tracked is not None and lot_tracked != wanted_lot:
        raise ValueError(f"tracking '{tracking}' contradicts lot_tracked={lot_tracked}")
    return wanted_lot, wanted_serial


SKU_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$"


class ItemCreate(BaseModel):
    """A new item of the SKU master."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "sku": "BELL",
                    "name": "Bicycle bell",
                    "uom": "pc",
                    "kind": "raw",
                    "reorder_point": "20",
                    "reorder_quantity": "100",
                    "safety_stock": "10",
                    "standard_cost": "2.40",
                    "lead_time_days": 5,
                }
            ]
        },
    )

    sku: str = Field(
        pattern=SKU_PATTERN, description="Stock keeping unit, unique.", examples=["BELL"]
    )
    name: str = Field(min_length=1, max_length=200, examples=["Bicycle bell"])
    uom: str = Field(
        "ea", min_length=1, max_length=20, description="Unit of measure.", examples=["ea"]
    )
    kind: ItemKind = Field(
        description="raw material, component or finished good", examples=["component"]
    )
    reorder_point: NonNegativeQuantity = Field(
        Decimal(0), description="Alert when available falls below."
    )
    reorder_quantity: NonNegativeQuantity = Field(
        Decimal(0), description="Suggested quantity to order."
    )
    safety_stock: NonNegativeQuantity = Field(
        Decimal(0), description="Stock MRP keeps as a buffer."
    )
    standard_cost: NonNegativeQuantity = Field(Decimal(0), description="Standard cost per unit.")
    lead_time_days: int = Field(0, ge=0, le=3650, description="Days to make or buy.")
    lot_tracked: bool = Field(False, description="Movements must name a lot.")
    serial_tracked: bool = Field(False, description="Each unit has its own serial number.")
    tracking: Tracking = Field("none", description=TRACKING_DESCRIPTION, examples=["serial"])

    @model_validator(mode="before")
    @classmethod
    def _tracking(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("tracking") is not None:
            lot, serial = tracked_flags(
                data["tracking"], data.get("lot_tracked"), data.get("serial_tracked")
            )
            return data | {"lot_tracked": lot, "serial_tracked": serial}
        if isinstance(data, dict):
            lot, serial = bool(data.get("lot_tracked")), bool(data.get("serial_tracked"))
            return data | {"tracking": tracking_of(lot, serial)}
        return data


class ItemUpdate(BaseModel):
    """Fields to change; the sku cannot change."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Aluminium tube 6061",
                    "uom": "m",
                    "kind": "raw",
                    "reorder_point": "30",
                    "reorder_quantity": "100",
                    "safety_stock": "10",
                    "standard_cost": "6.10",
                    "lead_time_days": 3,
                    "tracking": "lot",
                }
            ]
        },
    )

    name: str | None = Field(None, min_length=1, max_length=200)
    uom: str | None = Field(None, min_length=1, max_length=20)
    kind: ItemKind | None = None
    reorder_point: NonNegativeQuantity | None = None
    reorder_quantity: NonNegativeQuantity | None = None
    safety_stock: NonNegativeQuantity | None = None
    standard_cost: NonNegativeQuantity | None = None
    lead_time_days: int | None = Field(None, ge=0, le=3650)
    lot_tracked: bool | None = None
    serial_tracked: bool | None = None
    tracking: Tracking | None = Field(None, description=TRACKING_DESCRIPTION)

    @model_validator(mode="after")
    def _tracking(self) -> ItemUpdate:
        if self.tracking is not None:
            self.lot_tracked, self.serial_tracked = tracked_flags(
                self.tracking, self.lot_tracked, self.serial_tracked
            )
        return self


class ItemRead(ItemCreate):
    """An item as stored."""

    model_config = ConfigDict(from_attributes=True)

    tracking: Tracking = Field(description=TRACKING_DESCRIPTION)
    version: int = Field(description="Changes on every update; send it back in If-Match.")
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="before")
    @classmethod
    def _tracking_of_item(cls, data: object) -> object:
        if isinstance(data, dict):
            return data
        lot, serial = getattr(data, "lot_tracked", False), getattr(data, "serial_tracked", False)
        return {name: getattr(data, name) for name in cls.model_fields if name != "tracking"} | {
            "tracking": tracking_of(lot, serial)
        }
