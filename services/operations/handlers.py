"""Events from the other services that operations applies."""

from shared.consumer import EventHandlers

handlers = EventHandlers()
