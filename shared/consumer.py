"""Consuming other services' events: inbox de-duplication, bounded retries, dead-letter topic."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from opentelemetry.trace import Span, SpanKind
from pydantic import BaseModel, ValidationError
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shared.broker import (
    DLQ_SUFFIX,
    BrokerWatch,
    ensure_topics,
    make_consumer,
    make_producer,
    stop_quietly,
)
from shared.cancellation import end_if_cancelled
from shared.db import Database, utcnow
from shared.errors import Problem, ServiceUnavailable
from shared.events import Envelope
from shared.observability import (
    EVENTS_APPLIED,
    EVENTS_DEAD_LETTERED,
    EVENTS_DUPLICATE,
    EVENTS_RETRIED,
    new_traceparent,
    record_consumer_lag,
    traceparent_var,
)
from shared.settings import Settings
from shared.stalled_partitions import StalledPartitions
from shared.tables import MechanicsTables
from shared.tracing import Tracing, traceparent_of
from shared.transient_errors import is_transient

log = logging.getLogger("plantline.consumer")

DataT = TypeVar("DataT", bound=BaseModel)


@dataclass(frozen=True)
class Received(Generic[DataT]):
    """An event as a handler sees it: the envelope and its data in the handler's own model."""

    envelope: Envelope[dict[str, Any]]
    data: DataT

    @property
    def id(self) -> str:
        """The event id."""
        return self.envelope.id

    @property
    def subject(self) -> str:
        """The aggregate id."""
        return self.envelope.subject

    @property
    def sequence(self) -> int:
        """The per-aggregate sequence number."""
        return self.envelope.sequence


Handler = Callable[[AsyncSession, Received[Any]], Awaitable[None]]


class EventHandlers:
    """One handler a consumed event type, each reading the data into its own model."""

    def __init__(self) -> None:
        self.handlers: dict[str, tuple[type[BaseModel], Handler]] = {}

    def on(self, event_type: str, data_model: type[DataT]) -> Callable[[Handler], Handler]:
        """Register the decorated function as the handler of an event type."""

        def register(handler: Handler) -> Handler:
            if event_type in self.handlers:
                raise ValueError(f"{event_type} already has a handler")
            self.handlers[event_type] = (data_model, handler)
            return handler

        return register

    def topics(self, settings: Settings) -> list[str]:
        """The topics these handlers need."""
        services = sorted({event_type.split(".")[0] for event_type in self.handlers})
        return [settings.events_topic(service) for service in services]


class BrokerLost(Exception):
    """The broker went away; the consumer is rebuilt."""


class PoisonMessage(Exception):
    """A message that can never be applied, whatever the retries."""


def is_poison(error: BaseException | None) -> bool:
    """True for a failure no retry can mend: the handler refused the event (a `Problem`), its
    data does not validate, or it was declared poison."""
    if isinstance(error, ServiceUnavailable):
        return False  # a problem that passes: another service is away for now
    return isinstance(error, PoisonMessage | Problem | ValidationError)


class EventConsumer:
    """Applies events once each: inbox row and effect in one transaction, offset committed after."""

    def __init__(
        self,
        settings: Settings,
        database: Database,
        tables: MechanicsTables,
        handlers: EventHandlers,
        tracing: Tracing | None = None,
    ) -> None:
        self.settings = settings
        self.tracing = tracing or Tracing.disabled()
        self.database = database
        self.inbox = tables.inbox
        self.handlers = handlers
        self.applied = 0
        self.duplicates = 0
        self._consumer: AIOKafkaConsumer | None = None
        self._dlq: AIOKafkaProducer | None = None
        self.stalled = 0
        # How many times the Kafka consumer was built: once, unless broker trouble rebuilt it.
        self.starts = 0
        self._watch = BrokerWatch(settings)

    async def run(self) -> None:
        """Consume until cancelled, reconnecting after broker trouble."""
        topics = self.handlers.topics(self.settings)
        if not topics:
            return
        backoff = 0.2
        while True:
            end_if_cancelled()
            try:
                await ensure_topics(self.settings)
                await self._watch.start()
                self._consumer = make_consumer(self.settings, topics)
                self.starts += 1
                await self._consumer.start()
                backoff = 0.2
                await self._consume(self._consumer)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("consumer stopped (%s); restarting in %.1fs", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                await self._watch.stop()
                await stop_quietly(self._consumer)
                self._consumer = None
                await stop_quietly(self._dlq)
                self._dlq = None

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        stalled = StalledPartitions(self.settings)
        while True:
            end_if_cancelled()
            self._raise_if_broker_lost()
            stalled.resume_due(consumer)
            batches = await consumer.getmany(timeout_ms=500, max_records=200)
            for partition, records in batches.items():
                if partition not in consumer.assignment():
                    continue
                if stalled.holds(partition):
                    stalled.rewind(consumer, partition)
                    continue
                again_from = await self.handle_records(records)
                # An offset in a log the broker has since lost must not be committed to the
                # broker that replaced it, where it would skip records of the new log.
                await self._watch.settled()
                self._raise_if_broker_lost()
                done_until = records[-1].offset + 1 if again_from is None else again_from
                if done_until > records[0].offset:
                    await self._commit(consumer, {partition: done_until})
                if again_from is None:
                    stalled.forget(partition)
                else:
                    stalled.hold(consumer, partition, again_from)
            record_consumer_lag(self.settings.service, consumer)

    def _raise_if_broker_lost(self) -> None:
        if self._watch.lost_at is not None:
            # A restarted broker may hold new logs under the old positions: start again from
            # the committed offsets (the inbox skips what was applied already).
            raise BrokerLost(f"lost the broker at {self._watch.lost_at.isoformat()}")

    async def _commit(self, consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, int]) -> None:
        """Commit offsets; only ever called after the events' transactions committed."""
        await consumer.commit(offsets)

    async def handle_records(self, records: list[ConsumerRecord[bytes, bytes]]) -> int | None:
        """Apply one partition's records in order: many in one transaction, a failing one alone.

        Returns None when every record was applied or dead-lettered, or the offset to read again
        from when a passing failure (the database away, a deadlock) stopped them: that record
        and those after it are neither applied nor dead-lettered, and wait for a retry.
        """
        batch: list[tuple[ConsumerRecord[bytes, bytes], tuple[Received[Any], Handler]]] = []
        for record in records:
            decoded = self._decode(record)
            if isinstance(decoded, str):
                # What came before is applied first, so a stall there re-reads this one too.
                again_from = await self._apply_in_order(batch)
                if again_from is not None:
                    return again_from
                batch = []
                await self._dead_letter(record, decoded)
            elif decoded is not None:
                batch.append((record, decoded))
        return await self._apply_in_order(batch)

    async def handle_record(self, record: ConsumerRecord[bytes, bytes]) -> int | None:
        """Apply one record with retries, or send it to the dead-letter topic."""
        return await self.handle_records([record])

    async def _apply_in_order(
        self, decoded: list[tuple[ConsumerRecord[bytes, bytes], tuple[Received[Any], Handler]]]
    ) -> int | None:
        """Apply decoded records; returns the offset to read again from after a passing failure."""
        while decoded:
            try:
                applied, failed_at, error = await self._apply_together(decoded)
            except Exception as exc:
                # The transaction itself failed (begin or commit): none of them is applied.
                if not is_transient(exc):
                    raise
                self._note_stall(decoded[0][0], exc)
                return decoded[0][0].offset
            self.applied += applied
            if failed_at is None:
                return None
            record, (received, handler) = decoded[failed_at]
            if error is not None and is_transient(error):
                self._note_stall(record, error)
                return record.offset
            if not await self._retry_alone(record, received, handler, error):
                return record.offset
            decoded = decoded[failed_at + 1 :]
        return None

    def _note_stall(self, record: ConsumerRecord[bytes, bytes], error: BaseException) -> None:
        self.stalled += 1
        log.warning(
            "event at %s[%d]@%d waits for a passing failure to end: %s: %s",
            record.topic,
            record.partition,
            record.offset,
            type(error).__name__,
            error,
        )

    def _decode(
        self, record: ConsumerRecord[bytes, bytes]
    ) -> tuple[Received[Any], Handler] | str | None:
        """The event and its handler; None for a type this service does not handle; the reason
        as text for a record that can never be applied."""
        try:
            envelope = Envelope.parse(record.value or b"")
        except (ValidationError, ValueError) as exc:
            return f"not a valid event envelope: {exc}"
        entry = self.handlers.handlers.get(envelope.type)
        if entry is None:
            return None
        model, handler = entry
        try:
            data = model.model_validate(envelope.data)
        except ValidationError as exc:
            return f"event data does not match: {exc}"
        return Received(envelope=envelope, data=data), handler

    async def _apply_together(
        self, decoded: list[tuple[ConsumerRecord[bytes, bytes], tuple[Received[Any], Handler]]]
    ) -> tuple[int, int | None, Exception | None]:
        """Apply events in one transaction, each in a savepoint; stop at the first failure.

        Returns how many were applied, the index of the one that failed and its error.
        """
        applied_types: list[str] = []
        failed_at: int | None = None
        error: Exception | None = None
        async with self.database.transaction() as session:
            for index, (_, (received, handler)) in enumerate(decoded):
                try:
                    async with session.begin_nested():
                        if await self._apply_in(session, received, handler):
                            applied_types.append(received.envelope.type)
                except Exception as exc:
                    failed_at, error = index, exc
                    break
        for event_type in applied_types:
            EVENTS_APPLIED.labels(self.settings.service, event_type).inc()
        return len(applied_types), failed_at, error

    async def _retry_alone(
        self,
        record: ConsumerRecord[bytes, bytes],
        received: Received[Any],
        handler: Handler,
        first_error: Exception | None,
    ) -> bool:
        """After a failed first attempt, retry the event alone a bounded number of times.

        A poison event is dead-lettered at once, one failing for an unknown reason after its
        retries. Returns False if a passing failure stopped the retries: the event waits.
        """
        attempts = max(1, self.settings.consumer_retries)
        error = first_error
        for attempt in range(2, attempts + 1):
            if is_poison(error):
                break
            await asyncio.sleep(self.settings.consumer_retry_backoff_seconds * attempt)
            EVENTS_RETRIED.labels(self.settings.service).inc()
            try:
                await self.apply(received, handler)
                return True
            except Exception as exc:
                if is_transient(exc):
                    self._note_stall(record, exc)
                    return False
                error = exc
        if is_poison(error):
            await self._dead_letter(record, f"{type(error).__name__}: {error}")
            return True
        log.error("event %s failed %d times; dead-lettered", received.id, attempts, exc_info=error)
        await self._dead_letter(record, f"{type(error).__name__}: {error}")
        return True

    async def apply(self, received: Received[Any], handler: Handler) -> bool:
        """Apply an event once in its own transaction; False if the inbox had it already."""
        async with self.database.transaction() as session:
            applied = await self._apply_in(session, received, handler)
        if applied:
            EVENTS_APPLIED.labels(self.settings.service, received.envelope.type).inc()
            self.applied += 1
        return applied

    async def _apply_in(
        self, session: AsyncSession, received: Received[Any], handler: Handler
    ) -> bool:
        envelope = received.envelope
        with self.tracing.span_from(
            f"consume {envelope.type}",
            envelope.traceparent,
            SpanKind.CONSUMER,
            {"messaging.system": "kafka", "messaging.message.id": envelope.id},
        ) as span:
            return await self._apply_traced(session, received, handler, span)

    async def _apply_traced(
        self, session: AsyncSession, received: Received[Any], handler: Handler, span: Span
    ) -> bool:
        envelope = received.envelope
        token = traceparent_var.set(traceparent_of(span) or new_traceparent(envelope.traceparent))
        try:
            try:
                async with session.begin_nested():
                    await session.execute(
                        insert(self.inbox).values(
                            event_id=envelope.id,
                            event_type=envelope.type,
                            source=envelope.source,
                            applied_at=utcnow(),
                        )
                    )
            except IntegrityError:
                EVENTS_DUPLICATE.labels(self.settings.service).inc()
                self.duplicates += 1
                return False
            await handler(session, received)
            return True
        finally:
            traceparent_var.reset(token)

    async def _dead_letter(self, record: ConsumerRecord[bytes, bytes], error: str) -> None:
        if self._dlq is None:
            self._dlq = make_producer(self.settings)
            await self._dlq.start()
        headers = list(record.headers or ()) + [
            ("dlq-error", error[:2000].encode()),
            ("dlq-topic", record.topic.encode()),
            ("dlq-partition", str(record.partition).encode()),
            ("dlq-offset", str(record.offset).encode()),
            ("dlq-consumer-group", self.settings.consumer_group.encode()),
        ]
        await self._dlq.send_and_wait(
            record.topic + DLQ_SUFFIX, key=record.key, value=record.value, headers=headers
        )
        EVENTS_DEAD_LETTERED.labels(self.settings.service).inc()
        log.error(
            "event at %s[%d]@%d dead-lettered: %s",
            record.topic,
            record.partition,
            record.offset,
            error,
        )
