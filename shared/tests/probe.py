"""A tiny service schema for testing the shared mechanics on real databases and a real broker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, ClassVar

from aiokafka import AIOKafkaConsumer
from pydantic import BaseModel
from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.consumer import EventConsumer, EventHandlers, Received
from shared.db import TYPE_ANNOTATION_MAP, Database, service_metadata
from shared.events import DomainEvent, Envelope
from shared.outbox import Outbox
from shared.settings import Settings
from shared.tables import mechanics_tables


class Base(DeclarativeBase):
    """The probe service's tables."""

    metadata = service_metadata()
    type_annotation_map = TYPE_ANNOTATION_MAP


outbox = Outbox("inventory", Base.metadata)


class Counter(Base):
    """How many times a handler applied an effect for a key."""

    __tablename__ = "probe_counters"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    applied: Mapped[int]


class ThingHappened(DomainEvent):
    """A probe event published as if by inventory."""

    event_type: ClassVar[str] = "inventory.thing.happened"

    key: str
    n: int


class ThingSeen(BaseModel):
    """The consumer's view of the probe event."""

    key: str
    n: int


def counting_handlers() -> EventHandlers:
    """Handlers whose effect is not idempotent by itself: each application adds one."""
    handlers = EventHandlers()

    @handlers.on(ThingHappened.event_type, ThingSeen)
    async def count(session: AsyncSession, event: Received[ThingSeen]) -> None:
        row = await session.get(Counter, event.data.key)
        if row is None:
            session.add(Counter(key=event.data.key, applied=1))
        else:
            row.applied += 1

    return handlers


def failing_on_negatives(error: Callable[[], Exception], attempts: list[int]) -> EventHandlers:
    """Counting handlers that raise `error()` for a negative number, noting each attempt."""
    handlers = EventHandlers()
    count = counting_handlers().handlers[ThingHappened.event_type][1]

    @handlers.on(ThingHappened.event_type, ThingSeen)
    async def fail_on_negative(session: AsyncSession, event: Received[ThingSeen]) -> None:
        if event.data.n < 0:
            attempts.append(event.data.n)
            raise error()
        await count(session, event)

    return handlers


async def make_database(url: str) -> Database:
    """A database with the probe schema."""
    database = Database(url)
    async with database.engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    return database


async def applied_count(database: Database, key: str) -> int:
    """How many times the effect was applied for a key."""
    async with database.transaction() as session:
        row = await session.get(Counter, key)
        return row.applied if row else 0


async def record_things(database: Database, keys_and_numbers: list[tuple[str, int]]) -> None:
    """Commit probe events through the outbox, one transaction each."""
    for key, n in keys_and_numbers:
        async with database.transaction() as session:
            await outbox.record(session, ThingHappened(key=key, n=n), key)


@asynccontextmanager
async def running(coroutine: Any) -> AsyncIterator[asyncio.Task[Any]]:
    """Run a coroutine as a task for the duration of a block."""
    task = asyncio.create_task(coroutine)
    try:
        yield task
    finally:
        task.cancel()
        try:
            await task
        except (asyncio.CancelledError, Exception):
            pass


async def read_topic(
    settings: Settings, topic: str, expected: int, timeout: float = 30
) -> list[Any]:
    """Read a topic from the beginning until `expected` records or the timeout."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=settings.kafka_bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    records: list[Any] = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(records) < expected and loop.time() < deadline:
            batches = await consumer.getmany(timeout_ms=200)
            for batch in batches.values():
                records.extend(batch)
        # A little longer, to see duplicates if there are any.
        batches = await consumer.getmany(timeout_ms=500)
        for batch in batches.values():
            records.extend(batch)
    finally:
        await consumer.stop()
    return records


def envelopes(records: list[Any]) -> list[Envelope[dict[str, Any]]]:
    """Parse records as envelopes."""
    return [Envelope.parse(r.value) for r in records]


def tables() -> Any:
    """The probe schema's shared tables."""
    return mechanics_tables(Base.metadata)


async def inbox_size(database: Database) -> int:
    """Rows in the inbox."""
    inbox = tables().inbox
    async with database.transaction() as session:
        return len((await session.execute(select(inbox.c.event_id))).all())


def consumer(
    settings: Settings, database: Database, handlers: EventHandlers | None = None
) -> EventConsumer:
    """A consumer of the probe events."""
    return EventConsumer(settings, database, tables(), handlers or counting_handlers())
