"""The logistics database: declarative base with the shared tables, and the outbox."""

from shared.db import declarative_base
from shared.outbox import Outbox

Base = declarative_base()
outbox = Outbox("logistics", Base.metadata)
