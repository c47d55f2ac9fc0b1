"""Response bodies of the parked receipt lines API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from services.inventory.movements.schemas import MovementRead
from shared.numbers import DecimalValue

ParkedLineStatus = Literal["parked", "applied"]


class ParkedReceiptLineRead(BaseModel):
    """A received line inventory could not book when it arrived, kept for an operator."""

    id: str
    receipt_id: str = Field(description="The logistics receipt the line came with.")
    purchase_order_id: str | None
    warehouse: str
    sku: str = Field(description="The sku received, unknown to the item master at the time.")
    quantity: DecimalValue
    unit_price: DecimalValue
    lot: str | None
    reason: str = Field(description="Why the line was not booked when it arrived.")
    status: ParkedLineStatus = Field(
        description="parked: waiting for an operator; applied: booked as a receipt."
    )
    parked_at: datetime
    applied_at: datetime | None
    applied_by: str | None
    movement_id: str | None = Field(description="The receipt movement it was booked as.")


class ParkedReceiptLineApplied(ParkedReceiptLineRead):
    """A parked line after it was booked, with its receipt movement."""

    movement: MovementRead
