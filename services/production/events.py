"""Events the production service publishes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from pydantic import BaseModel

from shared.events import DomainEvent, EventCatalog
from shared.numbers import DecimalValue

catalog = EventCatalog("production")


class BomLine(BaseModel):
    """One component of a BOM."""

    sku: str
    quantity: DecimalValue
    scrap_factor: DecimalValue = Decimal(0)


@catalog.register
class BomPublished(DomainEvent):
    """A bill of materials was published for a product."""

    event_type: ClassVar[str] = "production.bom.published"

    bom_id: str
    product_sku: str
    version: int
    output_quantity: DecimalValue
    effective_from: date | None = None
    components: list[BomLine]
