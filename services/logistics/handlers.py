"""Events from the other services that logistics applies."""

from services.logistics.catalog.models import KnownItem
from shared.consumer import EventHandlers
from shared.item_view import subscribe_item_view

handlers = EventHandlers()
subscribe_item_view(handlers, KnownItem)
