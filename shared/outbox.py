"""Transactional outbox: events commit with the state change; a relay publishes them to Kafka."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import MetaData, Table, bindparam, event, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from shared.broker import BrokerWatch, ensure_topics, make_producer, stop_quietly
from shared.cancellation import end_if_cancelled
from shared.db import Database, database_clock, new_id, utcnow
from shared.events import DomainEvent, make_envelope
from shared.observability import (
    EVENTS_PUBLISHED,
    OUTBOX_OLDEST_SECONDS,
    OUTBOX_PENDING,
    RELAY_LEASE_HELD,
    traceparent_var,
)
from shared.settings import Settings
from shared.tables import mechanics_tables
from shared.upsert import dialect_insert

log = logging.getLogger("plantline.outbox")

_WAKE_KEY = "plantline_outbox_wake"
_RECORDED_KEY = "plantline_outbox_recorded"
LEASE_SECONDS = 15


@dataclass
class _Recorded:
    """An event recorded in a transaction and not yet written: the rows go in at commit."""

    outbox: Outbox
    event: DomainEvent
    subject: str
    aggregate: str
    event_id: str
    traceparent: str | None
    recorded_at: datetime
    # The innermost transaction (a savepoint, or the transaction) it was recorded in.
    transaction: SessionTransaction


class Outbox:
    """Writes a service's events into its outbox table, inside the caller's transaction.

    `record` keeps the event with the session; just before the transaction commits, all of
    them are written in two statements (their aggregates' sequence numbers, then the rows),
    not two per event. Events recorded in a savepoint that is rolled back are dropped with it.
    """

    def __init__(self, service: str, metadata: MetaData) -> None:
        self.service = service
        tables = mechanics_tables(metadata)
        self.table = tables.outbox
        self.sequences = tables.aggregate_sequences
        self.lease = tables.relay_lease
        self._listeners: set[asyncio.Event] = set()
        # Built once and run with new parameters: building it again costs more than running it.
        self._insert = insert(self.table)

    async def record(self, session: AsyncSession, event_data: DomainEvent, subject: str) -> str:
        """Add an event to the outbox in the session's transaction; returns the event id."""
        sync = session.sync_session
        transaction = sync.get_nested_transaction() or sync.get_transaction() or sync.begin()
        event_id = new_id()
        sync.info.setdefault(_RECORDED_KEY, []).append(
            _Recorded(
                outbox=self,
                event=event_data,
                subject=subject,
                aggregate=event_data.event_type.split(".")[1] + ":" + subject,
                event_id=event_id,
                traceparent=traceparent_var.get(),
                recorded_at=utcnow(),
                transaction=transaction,
            )
        )
        return event_id

    def _write(self, session: Session, recorded: list[_Recorded]) -> None:
        """Number the events per aggregate and insert their rows, in the order recorded."""
        counts = Counter(entry.aggregate for entry in recorded)
        numbered = session.execute(
            _numbering_statement(self.sequences, session.get_bind().dialect.name),
            # In one order, so two transactions numbering the same aggregates cannot deadlock.
            [{"aggregate": aggregate, "taken": n} for aggregate, n in sorted(counts.items())],
        )
        last = {aggregate: int(sequence) for aggregate, sequence in numbered}
        next_sequence = {aggregate: last[aggregate] - n for aggregate, n in counts.items()}
        rows = []
        for entry in recorded:
            next_sequence[entry.aggregate] += 1
            sequence = next_sequence[entry.aggregate]
            envelope = make_envelope(
                service=self.service,
                event=entry.event,
                subject=entry.subject,
                event_id=entry.event_id,
                sequence=sequence,
                traceparent=entry.traceparent,
            )
            rows.append(
                {
                    "event_id": entry.event_id,
                    "key": entry.subject,
                    "event_type": entry.event.event_type,
                    "sequence": sequence,
                    "envelope": envelope.to_json().decode(),
                    "created_at": entry.recorded_at,
                }
            )
        session.execute(self._insert, rows)

    def listen(self) -> asyncio.Event:
        """An event set whenever a transaction that wrote to this outbox commits."""
        wake = asyncio.Event()
        self._listeners.add(wake)
        return wake

    def unlisten(self, wake: asyncio.Event) -> None:
        """Stop being woken."""
        self._listeners.discard(wake)

    def notify(self) -> None:
        """Wake every relay listening to this outbox."""
        for wake in list(self._listeners):
            wake.set()


@cache
def _numbering_statement(sequences: Table, dialect: str) -> Any:
    """Take `taken` more sequence numbers of each aggregate; returns the last one taken. Built
    once per table and dialect."""
    taken: Any = bindparam("taken")
    upsert = dialect_insert(dialect)(sequences).values(
        aggregate=bindparam("aggregate"), last_sequence=taken
    )
    return upsert.on_conflict_do_update(
        index_elements=[sequences.c.aggregate],
        set_={"last_sequence": sequences.c.last_sequence + upsert.excluded.last_sequence},
    ).returning(sequences.c.aggregate, sequences.c.last_sequence)


@event.listens_for(Session, "before_commit")
def _write_recorded_before_commit(session: Session) -> None:
    # Also called as a savepoint is released; what it recorded waits for the transaction (an
    # enclosing savepoint may still be rolled back, and drops it then).
    if session.in_nested_transaction():
        return
    recorded: list[_Recorded] | None = session.info.pop(_RECORDED_KEY, None)
    if not recorded:
        return
    by_outbox: dict[Outbox, list[_Recorded]] = {}
    for entry in recorded:
        by_outbox.setdefault(entry.outbox, []).append(entry)
    for outbox, entries in by_outbox.items():
        outbox._write(session, entries)
    session.info[_WAKE_KEY] = set(by_outbox)


@event.listens_for(Session, "after_soft_rollback")
def _drop_recorded_in_rollback(session: Session, previous: SessionTransaction) -> None:
    recorded: list[_Recorded] | None = session.info.get(_RECORDED_KEY)
    if recorded:
        recorded[:] = [entry for entry in recorded if not _within(entry.transaction, previous)]


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_commit")
def _wake_relay_after_commit(session: Session) -> None:
    for outbox in session.info.pop(_WAKE_KEY, ()):
        outbox.notify()


@event.listens_for(Session, "after_rollback")
def _forget_wake_after_rollback(session: Session) -> None:
    session.info.pop(_WAKE_KEY, None)


class OutboxRelay:
    """Publishes committed outbox rows to Kafka in order; one leader among replicas."""

    def __init__(self, settings: Settings, database: Database, outbox: Outbox) -> None:
        self.settings = settings
        self.database = database
        self.outbox = outbox
        self.owner = secrets.token_hex(8)
        self.topic = settings.events_topic()
        self._producer: AIOKafkaProducer | None = None
        self._lease_renew_at = time.monotonic() - 1
        self._backoff = 0.0
        self._watch = BrokerWatch(settings)
        self.published = 0
        self.resent = 0

    async def run(self) -> None:
        """Relay until cancelled."""
        wake = self.outbox.listen()
        try:
            while True:
                end_if_cancelled()
                wake.clear()
                try:
                    sent = await self.relay_once()
                    self._backoff = 0.0
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # broker or database trouble: back off, keep the rows
                    self._backoff = min(
                        max(self._backoff * 2, 0.1), self.settings.relay_max_backoff_seconds
                    )
                    log.warning("outbox relay failed (%s); retrying in %.1fs", exc, self._backoff)
                    await stop_quietly(self._producer)
                    self._producer = None
                    await asyncio.sleep(self._backoff)
                    continue
                if sent < self.settings.relay_batch_size:
                    try:
                        await asyncio.wait_for(wake.wait(), self.settings.relay_poll_seconds)
                    except TimeoutError:
                        pass
        finally:
            self.outbox.unlisten(wake)
            await self._watch.stop()
            await stop_quietly(self._producer)
            self._producer = None

    async def relay_once(self) -> int:
        """Publish one batch of pending rows; returns how many were sent."""
        if not await self._hold_lease():
            return 0
        # After a closed connection, nothing is sent until the broker is known to have kept
        # its logs (or to have lost them, and what it dropped is queued again).
        await self._watch.settled()
        if self._watch.lost_at is not None:
            await self._resend_after_broker_loss(self._watch.lost_at)
        table = self.outbox.table
        # Read beside the writers; only marking the rows published waits for a write turn.
        async with self.database.snapshot() as session:
            rows = (
                await session.execute(
                    select(
                        table.c.id,
                        table.c.key,
                        table.c.event_type,
                        table.c.envelope,
                        table.c.created_at,
                    )
                    .where(table.c.published_at.is_(None))
                    .order_by(table.c.id)
                    .limit(self.settings.relay_batch_size)
                )
            ).all()
        if not rows:
            OUTBOX_PENDING.labels(self.settings.service).set(0)
            OUTBOX_OLDEST_SECONDS.labels(self.settings.service).set(0)
            return 0
        OUTBOX_OLDEST_SECONDS.labels(self.settings.service).set(
            max(0.0, (utcnow() - rows[0].created_at).total_seconds())
        )
        producer = await self._ready_producer()
        chains: dict[str, list[Any]] = {}
        for row in rows:
            chains.setdefault(row.key, []).append(row)
        delivered: list[Any] = []
        failures: list[BaseException] = []

        async def send_chain(chain: list[Any]) -> None:
            # One aggregate's events go one after another: a failed send stops its chain, so
            # nothing later of that aggregate is published before it.
            for row in chain:
                try:
                    await (
                        await producer.send(
                            self.topic,
                            key=row.key.encode(),
                            value=row.envelope.encode(),
                            headers=_headers(row.envelope, row.event_type),
                        )
                    )
                except Exception as exc:
                    failures.append(exc)
                    return
                delivered.append(row)

        await asyncio.gather(*(send_chain(chain) for chain in chains.values()))
        if delivered:
            async with self.database.transaction() as session:
                await session.execute(
                    update(table)
                    .where(table.c.id.in_([row.id for row in delivered]))
                    .values(published_at=utcnow())
                )
            for row in delivered:
                EVENTS_PUBLISHED.labels(self.settings.service, row.event_type).inc()
            self.published += len(delivered)
        if failures:
            raise RuntimeError(
                f"{len(rows) - len(delivered)} events not published: {failures[0]!r}"
            )
        return len(delivered)

    async def pending(self) -> int:
        """Rows not yet published."""
        table = self.outbox.table
        async with self.database.snapshot() as session:
            count = (
                await session.execute(select(func.count()).where(table.c.published_at.is_(None)))
            ).scalar_one()
        OUTBOX_PENDING.labels(self.settings.service).set(count)
        return int(count)

    async def _resend_after_broker_loss(self, lost_at: datetime) -> None:
        """Publish again what the broker may have dropped: what was sent shortly before it went
        away, and what it acknowledged after coming back before this relay noticed."""
        await self._watch.stop()
        self._watch.lost_at = None
        await stop_quietly(self._producer)
        self._producer = None
        since = lost_at - timedelta(seconds=self.settings.relay_resend_window_seconds)
        table = self.outbox.table
        async with self.database.transaction() as session:
            result = await session.execute(
                update(table).where(table.c.published_at >= since).values(published_at=None)
            )
        count = int(getattr(result, "rowcount", 0))
        self.resent += count
        log.warning("broker connection lost; publishing %d recent events again", count)

    async def _ready_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            # After a broker restart the memory-only embedded broker has forgotten its topics.
            await ensure_topics(self.settings)
            await self._watch.start()
            producer = make_producer(self.settings)
            try:
                await producer.start()
            except BaseException:
                await stop_quietly(producer)
                raise
            self._producer = producer
        return self._producer

    async def _hold_lease(self) -> bool:
        # When to renew is this process's business (a monotonic clock); whether the lease has
        # run out is the database's, by its own clock, so replicas whose clocks disagree never
        # both take it.
        now = time.monotonic()
        if self._lease_renew_at > now:
            return True
        lease = self.outbox.lease
        async with self.database.transaction() as session:
            dialect = session.get_bind().dialect.name
            result = await session.execute(
                update(lease)
                .where(lease.c.name == "outbox")
                .where(
                    (lease.c.owner == self.owner) | (lease.c.expires_at < database_clock(dialect))
                )
                .values(owner=self.owner, expires_at=database_clock(dialect, LEASE_SECONDS))
            )
            held = getattr(result, "rowcount", 0) == 1
        if not held:
            try:
                async with self.database.transaction() as session:
                    dialect = session.get_bind().dialect.name
                    await session.execute(
                        insert(lease).values(
                            name="outbox",
                            owner=self.owner,
                            expires_at=database_clock(dialect, LEASE_SECONDS),
                        )
                    )
                held = True
            except IntegrityError:
                held = False
        self._lease_renew_at = now + LEASE_SECONDS * 2 / 3 if held else now
        RELAY_LEASE_HELD.labels(self.settings.service, self.owner).set(1 if held else 0)
        return held


def _headers(envelope_json: str, event_type: str) -> list[tuple[str, bytes]]:
    headers: list[tuple[str, bytes]] = [
        ("content-type", b"application/cloudevents+json"),
        ("ce_type", event_type.encode()),
    ]
    marker = '"traceparent":"'
    start = envelope_json.find(marker)
    if start >= 0:
        value = envelope_json[start + len(marker) : envelope_json.find('"', start + len(marker))]
        headers.append(("traceparent", value.encode()))
    return headers
