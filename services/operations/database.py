"""The operations database: declarative base with the shared tables, and the outbox."""

from sqlalchemy.orm import DeclarativeBase

from shared.db import TYPE_ANNOTATION_MAP, service_metadata
from shared.outbox import Outbox


class Base(DeclarativeBase):
    """The operations service's tables."""

    metadata = service_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


outbox = Outbox("operations", Base.metadata)
