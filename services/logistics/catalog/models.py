"""Logistics' view of inventory's items and stock."""

from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.logistics.database import Base
from shared.item_view import ItemViewColumns


class KnownItem(ItemViewColumns, Base):
    """An item logistics has heard of from inventory."""

    __tablename__ = "known_items"


class KnownStock(Base):
    """Stock totals of an item as inventory last announced them."""

    __tablename__ = "known_stock"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    on_hand: Mapped[Decimal]
    reserved: Mapped[Decimal]
    available: Mapped[Decimal]
    source_sequence: Mapped[int]
