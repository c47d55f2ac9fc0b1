"""Events from the other services that inventory applies, one function per event type."""

from shared.consumer import EventHandlers

handlers = EventHandlers()
