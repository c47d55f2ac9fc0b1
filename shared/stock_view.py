"""The stock view a service keeps from inventory's `inventory.stock.changed` events."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.consumer import EventHandlers, Received
from shared.numbers import DecimalValue
from shared.views import apply_if_newer

STOCK_EVENT = "inventory.stock.changed"


class StockSeen(BaseModel):
    """An item's stock totals over all warehouses (other fields are ignored)."""

    model_config = ConfigDict(extra="ignore")

    sku: str
    on_hand: DecimalValue = Decimal(0)
    reserved: DecimalValue = Decimal(0)
    on_hold: DecimalValue = Decimal(0)
    available: DecimalValue = Decimal(0)


class StockViewColumns:
    """Columns of a stock view table; mix into a service's mapped class."""

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    on_hand: Mapped[Decimal]
    reserved: Mapped[Decimal]
    on_hold: Mapped[Decimal]
    available: Mapped[Decimal]
    source_sequence: Mapped[int]


def subscribe_stock_view(handlers: EventHandlers, model: type[DeclarativeBase]) -> None:
    """Keep `model` up to date from inventory's stock events (stale ones are ignored)."""

    async def on_stock_changed(session: AsyncSession, event: Received[StockSeen]) -> None:
        await apply_if_newer(
            session, model, event.data.sku, event.sequence, event.data.model_dump()
        )

    handlers.on(STOCK_EVENT, StockSeen)(on_stock_changed)
