"""What operations reads of production's order events and inventory's reservation events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from shared.numbers import DecimalValue


class OrderSeen(BaseModel):
    """`production.order.created` or `production.order.released`, as far as operations cares."""

    model_config = ConfigDict(extra="ignore")

    order_id: str
    number: str | None = None
    product_sku: str = ""
    quantity: DecimalValue | None = None
    due_date: date | None = None
    priority: int | None = None
    reservation_attempt: int | None = None


class OrderEnded(BaseModel):
    """`production.order.completed` or `production.order.cancelled`."""

    model_config = ConfigDict(extra="ignore")

    order_id: str


class ReservationSeen(BaseModel):
    """An inventory reservation event; its reference names the production order."""

    model_config = ConfigDict(extra="ignore")

    reference: str | None = None


class ShortageSeen(BaseModel):
    """A component inventory could not reserve in full."""

    model_config = ConfigDict(extra="ignore")

    sku: str
    requested: DecimalValue = Decimal(0)
    available: DecimalValue = Decimal(0)


class ReservationRejectedSeen(ReservationSeen):
    """Inventory could not reserve an order's components."""

    shortages: list[ShortageSeen] = []
