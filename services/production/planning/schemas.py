"""Request and response bodies of planning parameters."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.numbers import DecimalValue, PositiveQuantity
from shared.schema_cases import GIVEN, NULL, case, one_present

LotSizingRule = Literal["lot_for_lot", "fixed", "min_multiple"]
Procurement = Literal["make", "buy", "auto"]


class PlanningParametersWrite(BaseModel):
    """How MRP should plan an item."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "lot_sizing": "min_multiple",
                    "minimum_quantity": "50",
                    "multiple": "10",
                    "procurement": "buy",
                    "lead_time_days": 3,
                }
            ],
            # The rules of _fields_match_the_rule: each rule takes its own quantities only.
            "anyOf": [
                case(
                    {"lot_sizing": ["lot_for_lot"]},
                    fixed_quantity=NULL,
                    minimum_quantity=NULL,
                    multiple=NULL,
                ),
                case(
                    {"lot_sizing": ["fixed"]},
                    "lot_sizing",
                    "fixed_quantity",
                    fixed_quantity=GIVEN,
                    minimum_quantity=NULL,
                    multiple=NULL,
                ),
                case({"lot_sizing": ["min_multiple"]}, "lot_sizing", fixed_quantity=NULL)
                | one_present("minimum_quantity", "multiple"),
            ],
        },
    )

    lot_sizing: LotSizingRule = Field(
        "lot_for_lot",
        description="lot_for_lot: order exactly the net requirement; fixed: order whole "
        "multiples of `fixed_quantity`; min_multiple: at least `minimum_quantity`, rounded up "
        "to a multiple of `multiple`.",
    )
    fixed_quantity: PositiveQuantity | None = Field(
        None, description="The order quantity of rule `fixed` (required by it).", examples=["50"]
    )
    minimum_quantity: PositiveQuantity | None = Field(
        None, description="The smallest order of rule `min_multiple`.", examples=["50"]
    )
    multiple: PositiveQuantity | None = Field(
        None,
        description="Rule `min_multiple` rounds orders up to a multiple of this.",
        examples=["10"],
    )
    procurement: Procurement = Field(
        "auto",
        description="make: planned as production orders; buy: as purchases; auto: make if the "
        "item has a BOM effective on the run's day, else buy.",
    )
    lead_time_days: int | None = Field(
        None,
        ge=0,
        le=3650,
        description="Days from release to due date; overrides the item's lead time from "
        "inventory. Leave out to use the item's.",
    )

    @model_validator(mode="after")
    def _fields_match_the_rule(self) -> PlanningParametersWrite:
        given = {
            name
            for name in ("fixed_quantity", "minimum_quantity", "multiple")
            if getattr(self, name) is not None
        }
        allowed = {
            "lot_for_lot": set(),
            "fixed": {"fixed_quantity"},
            "min_multiple": {"minimum_quantity", "multiple"},
        }[self.lot_sizing]
        if extra := sorted(given - allowed):
            raise ValueError(f"lot_sizing {self.lot_sizing} takes no {', '.join(extra)}")
        if self.lot_sizing == "fixed" and not given:
            raise ValueError("lot_sizing fixed needs fixed_quantity")
        if self.lot_sizing == "min_multiple" and not given:
            raise ValueError("lot_sizing min_multiple needs minimum_quantity, multiple or both")
        return self


class PlanningParametersRead(BaseModel):
    """An item's stored planning parameters."""

    model_config = ConfigDict(from_attributes=True)

    sku: str
    lot_sizing: LotSizingRule
    fixed_quantity: DecimalValue | None
    minimum_quantity: DecimalValue | None
    multiple: DecimalValue | None
    procurement: Procurement
    lead_time_days: int | None
    version: int
    updated_at: dt.datetime
