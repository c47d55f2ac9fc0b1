"""Response bodies of the stock API."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from shared.numbers import DecimalValue


class WarehouseStockRead(BaseModel):
    """An sku's stock in one warehouse."""

    warehouse: str
    on_hand: DecimalValue
    reserved: DecimalValue
    on_hold: DecimalValue
    available: DecimalValue


class LevelRead(BaseModel):
    """What one place and lot holds."""

    warehouse: str
    location: str | None
    lot: str | None
    expires_on: date | None = None
    on_hand: DecimalValue
    reserved: DecimalValue
    on_hold: DecimalValue
    available: DecimalValue


class StockRead(BaseModel):
    """An sku's stock: totals, per warehouse and per place and lot."""

    sku: str
    on_hand: DecimalValue
    reserved: DecimalValue
    on_hold: DecimalValue
    available: DecimalValue = Field(description="on_hand - reserved - on_hold")
    average_cost: DecimalValue = Field(description="Moving-average cost per unit.")
    value: DecimalValue = Field(description="on_hand x average_cost")
    by_warehouse: list[WarehouseStockRead]
    levels: list[LevelRead]


class RebuildReport(BaseModel):
    """What a rebuild of the levels from the ledger found."""

    skus: int = Field(description="How many skus were rebuilt.")
    levels: int = Field(description="How many levels the ledger gives.")
    corrected: list[str] = Field(description="Skus whose stored figures differed and were fixed.")
