"""What operations reads of `production.routing.published`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from shared.numbers import DecimalValue


class RoutingStepSeen(BaseModel):
    """An operation of a published routing."""

    model_config = ConfigDict(extra="ignore")

    sequence: int
    work_center: str
    overlap_quantity: DecimalValue | None = None


class RoutingSeen(BaseModel):
    """A published routing version of a product."""

    model_config = ConfigDict(extra="ignore")

    product_sku: str
    version: int = 1
    operations: list[RoutingStepSeen] = []
