"""Production's view of inventory's items."""

from services.production.database import Base
from shared.item_view import ItemViewColumns


class KnownItem(ItemViewColumns, Base):
    """An item production has heard of from inventory."""

    __tablename__ = "known_items"
