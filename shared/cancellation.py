"""Loops that end when their task is cancelled, even if an await swallowed the cancellation.

On Python 3.11 `asyncio.wait_for` returns the awaited result instead of raising when the
cancellation arrives just as that result does (fixed in 3.12). aiokafka awaits every broker
answer through `wait_for`, and so do the relay's and the watch's waits: a service stopping could
see its consumer or relay carry on as if never cancelled, and its shutdown wait its whole bound.
The task still counts the request (`Task.cancelling()`), so a loop that asks at each turn ends.
"""

from __future__ import annotations

import asyncio


def end_if_cancelled() -> None:
    """Raise CancelledError if the current task was asked to cancel and carries on regardless."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
