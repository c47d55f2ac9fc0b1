"""Response bodies of the lots API."""

from __future__ import annotations

from pydantic import BaseModel, Field

from services.inventory.holds.schemas import HoldRead
from services.inventory.movements.schemas import MovementRead
from services.inventory.stock.schemas import LevelRead
from shared.numbers import DecimalValue


class LotTrace(BaseModel):
    """Everything the ledger knows of one lot of an sku."""

    sku: str
    lot: str
    received: DecimalValue = Field(description="Received into the lot (receipts and gains).")
    issued: DecimalValue = Field(description="Issued, scrapped or lost from the lot.")
    on_hand: DecimalValue
    references: list[str] = Field(description="Orders, receipts and deliveries that moved it.")
    levels: list[LevelRead] = Field(description="Where it is now.")
    movements: list[MovementRead] = Field(description="Every movement of it, oldest first.")
    holds: list[HoldRead]
