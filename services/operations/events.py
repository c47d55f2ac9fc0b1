"""Events the operations service publishes."""

from shared.events import EventCatalog

catalog = EventCatalog("operations")
