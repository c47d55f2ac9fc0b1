"""A loop that asks `end_if_cancelled` at each turn ends when its task is cancelled, even when
an await of the turn swallowed the cancellation (Python 3.11's wait_for, as aiokafka uses it)."""

from __future__ import annotations

import asyncio
import contextlib
import sys

import pytest

from shared.cancellation import end_if_cancelled


async def _turns(answers: list[asyncio.Future[None]], *, asks: bool) -> None:
    while True:
        if asks:
            end_if_cancelled()
        answer = asyncio.get_running_loop().create_future()
        answers.append(answer)
        await asyncio.wait_for(answer, 10)


async def _cancel_as_the_answer_arrives(*, asks: bool) -> asyncio.Task[None]:
    answers: list[asyncio.Future[None]] = []
    task = asyncio.create_task(_turns(answers, asks=asks))
    await asyncio.sleep(0.01)
    answers[-1].set_result(None)
    task.cancel()
    await asyncio.wait({task}, timeout=1)
    return task


async def test_a_loop_that_asks_ends_when_cancelled_as_an_answer_arrives() -> None:
    task = await _cancel_as_the_answer_arrives(asks=True)
    assert task.done() and task.cancelled()


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="wait_for no longer swallows it")
async def test_without_asking_the_same_loop_carries_on_after_its_cancellation() -> None:
    task = await _cancel_as_the_answer_arrives(asks=False)
    try:
        assert not task.done()
        assert task.cancelling() == 1
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
