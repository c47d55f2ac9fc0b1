"""Logistics' view of inventory's items and stock."""

from services.logistics.database import Base
from shared.item_view import ItemViewColumns
from shared.stock_view import StockViewColumns


class KnownItem(ItemViewColumns, Base):
    """An item logistics has heard of from inventory."""

    __tablename__ = "known_items"


class KnownStock(StockViewColumns, Base):
    """Stock totals of an item as inventory last announced them."""

    __tablename__ = "known_stock"
