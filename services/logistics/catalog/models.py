"""Logistics' view of inventory's items."""

from services.logistics.database import Base
from shared.item_view import ItemViewColumns


class KnownItem(ItemViewColumns, Base):
    """An item logistics has heard of from inventory."""

    __tablename__ = "known_items"
