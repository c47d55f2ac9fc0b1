"""Response bodies of the reports API."""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.numbers import DecimalValue


class SkuValue(BaseModel):
    """An sku's stock value."""

    sku: str
    on_hand: DecimalValue
    average_cost: DecimalValue
    value: DecimalValue


class WarehouseValue(BaseModel):
    """The value of the stock in one warehouse."""

    warehouse: str
    value: DecimalValue


class StockValueReport(BaseModel):
    """Stock valued at moving-average cost."""

    total_value: DecimalValue
    by_warehouse: list[WarehouseValue]
    skus: list[SkuValue] = Field(description="Skus with stock on hand, by sku.")
