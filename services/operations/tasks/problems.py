"""The problems of the shop floor's rules, beside the shared ones."""

from __future__ import annotations

from shared.errors import Conflict


class TaskNotReady(Conflict):
    """The task waits for the operation before it or for its order's materials."""

    slug, title = "task-not-ready", "Task not ready"


class QuantityBeyondReached(Conflict):
    """More good plus scrap than reached the operation, beyond its work center's tolerance."""

    slug, title = "quantity-beyond-reached", "More than reached the operation"
