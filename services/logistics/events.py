"""Events the logistics service publishes."""

from shared.events import EventCatalog

catalog = EventCatalog("logistics")
