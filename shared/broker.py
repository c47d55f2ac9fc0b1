"""Kafka plumbing: topic creation, producers and consumers configured the project's way."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Iterable
from datetime import datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from shared.cancellation import end_if_cancelled
from shared.db import utcnow
from shared.settings import SERVICES, Settings

log = logging.getLogger("plantline.broker")

DLQ_SUFFIX = ".dlq"
# The topic of the broker watch's marker records: `<prefix>.broker-watch`.
WATCH_TOPIC_SUFFIX = ".broker-watch"
STOP_SECONDS = 10


def all_topics(settings: Settings) -> list[str]:
    """Every service's events topic and its dead-letter topic."""
    topics = []
    for service in SERVICES:
        topic = settings.events_topic(service)
        topics += [topic, topic + DLQ_SUFFIX]
    return topics


async def ensure_topics(settings: Settings, topics: Iterable[str] | None = None) -> None:
    """Create the topics that do not exist yet; existing ones are left alone."""
    wanted = list(topics or all_topics(settings))
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=5000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t not in existing]
        if not missing:
            return
        partitions = settings.topic_partitions
        new = [NewTopic(t, 1 if t.endswith(DLQ_SUFFIX) else partitions, 1) for t in missing]
        try:
            await admin.create_topics(new)
        except TopicAlreadyExistsError:
            pass
    finally:
        await admin.close()


def make_producer(settings: Settings) -> AIOKafkaProducer:
    """A plain producer (no idempotence or transactions; the outbox carries the guarantees)."""
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        client_id=f"plantline-{settings.service}",
        acks="all",
        enable_idempotence=False,
        request_timeout_ms=5000,
        retry_backoff_ms=200,
        linger_ms=0,
    )


def make_consumer(settings: Settings, topics: Iterable[str]) -> AIOKafkaConsumer:
    """A consumer in the service's group that commits offsets by hand."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=settings.consumer_group,
        client_id=f"plantline-{settings.service}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_uncommitted",
        session_timeout_ms=settings.consumer_session_timeout_ms,
        heartbeat_interval_ms=max(100, settings.consumer_session_timeout_ms // 6),
        max_poll_records=200,
        # The embedded broker holds a fetch for the whole wait even when data arrives meanwhile.
        fetch_max_wait_ms=settings.consumer_fetch_wait_ms,
        metadata_max_age_ms=5000,
        retry_backoff_ms=200,
    )
    consumer.subscribe(list(topics), listener=ReadAgainWhereTheLogIsShorter(consumer))
    return consumer


class ReadAgainWhereTheLogIsShorter(ConsumerRebalanceListener):
    """On assignment, reads from the start any partition whose committed offset lies beyond
    the end of its log.

    A broker that lost its log (the memory-only embedded broker after a restart) answers a fetch
    beyond the end with no records and no error where Kafka answers "offset out of range", so a
    consumer sent there by an offset from the lost log would wait, skipping every record below
    it. On a Kafka cluster a committed offset never lies beyond the log end and nothing changes;
    reading again is harmless anyway, the inbox skips what was applied.
    """

    def __init__(self, consumer: AIOKafkaConsumer) -> None:
        self.consumer = consumer

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        """Nothing to hand over: offsets are committed after each applied batch."""

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        """Move back to the start of the partitions whose committed offset is past the log end."""
        partitions = sorted(assigned)
        if not partitions:
            return
        ends = await self.consumer.end_offsets(partitions)
        committed = await asyncio.gather(*(self.consumer.committed(tp) for tp in partitions))
        beyond = [
            tp
            for tp, offset in zip(partitions, committed, strict=True)
            if offset is not None and offset > ends[tp]
        ]
        if beyond:
            log.warning(
                "committed offsets lie beyond the end of the log of %s; reading them again "
                "from the start",
                ", ".join(f"{tp.topic}[{tp.partition}]" for tp in beyond),
            )
            await self.consumer.seek_to_beginning(*beyond)


async def broker_reachable(settings: Settings, timeout: float = 2.0) -> bool:
    """True if the bootstrap broker accepts a connection."""
    host, _, port = settings.kafka_bootstrap.split(",")[0].rpartition(":")
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(host or "127.0.0.1", int(port)), timeout
        )
    except (OSError, TimeoutError, ValueError):
        return False
    writer.close()
    return True


async def stop_quietly(client: AIOKafkaProducer | AIOKafkaConsumer | None) -> None:
    """Stop a Kafka client, ignoring errors from a broker already gone."""
    if client is None:
        return
    # The stop runs as a task of its own so that the caller's cancellation, which is passed on,
    # can be told from the client's: an aiokafka consumer stopped while a fetch waits to retry
    # against a broker that is gone lets that fetch's cancellation escape from stop(), which
    # would otherwise end the caller (the consumer runner) as if it had been cancelled.
    stopping = asyncio.ensure_future(client.stop())
    try:
        done, _ = await asyncio.wait({stopping}, timeout=STOP_SECONDS)
    except asyncio.CancelledError:
        stopping.cancel()
        raise
    if not done:
        stopping.cancel()
        log.debug("kafka client did not stop within %ss", STOP_SECONDS)
        return
    if stopping.cancelled():
        log.debug("kafka client stopped with its own tasks cancelled")
        await _close_connections(client)
        return
    error = stopping.exception()
    if isinstance(error, KafkaError | OSError):
        log.debug("kafka client stopped with an error", exc_info=error)
    elif error is not None:
        raise error


async def _close_connections(client: AIOKafkaProducer | AIOKafkaConsumer) -> None:
    """Close the connections of a client whose stop() ended early, so none is left polling."""
    # aiokafka has no public handle on a consumer's network client; its stop() closes it last.
    network = client._client if isinstance(client, AIOKafkaConsumer) else client.client
    try:
        await asyncio.wait_for(network.close(), STOP_SECONDS)
    except (KafkaError, OSError, TimeoutError):
        log.debug("kafka connections closed with an error", exc_info=True)


class BrokerWatch:
    """Notices the broker losing its logs, which Kafka clients' own reconnection hides.

    The memory-only embedded broker comes back from a restart empty: it acknowledges sends to
    topics it no longer has and drops them, and consumer positions point into logs that are
    gone. A producer or consumer that sees `lost_at` set rebuilds its client and makes up for
    what the broker may have dropped (the inbox makes any resulting duplicate harmless).

    A closed connection alone proves nothing: Apache Kafka closes idle ones
    (`connections.max.idle.ms`) and keeps its logs across a restart. So the watch holds a
    connection only as a hint (it ends at once when the broker goes away) and then asks the
    broker over the normal client whether a marker record it wrote is still where it was: the
    broker lost its logs only if the marker is gone. While the verdict is pending, `suspect` is
    set and `settled()` waits.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.lost_at: datetime | None = None
        self.suspect_since: datetime | None = None
        self.verified = 0
        self._marker: tuple[TopicPartition, int, bytes] | None = None
        self._settled = asyncio.Event()
        self._settled.set()
        self._task: asyncio.Task[None] | None = None

    @property
    def marker_topic(self) -> str:
        """The topic of the marker records."""
        return f"{self.settings.topic_prefix}{WATCH_TOPIC_SUFFIX}"

    async def start(self) -> None:
        """Write a marker and hold a connection to the broker; its end starts a check."""
        await self.stop()
        self.lost_at = None
        self.suspect_since = None
        self._settled.set()
        await self._write_marker()
        reader, writer = await self._connect()
        self._task = asyncio.create_task(self._watch(reader, writer))

    async def settled(self) -> None:
        """Wait while a closed connection is being checked (the broker may be away meanwhile)."""
        await self._settled.wait()

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        host, _, port = self.settings.kafka_bootstrap.split(",")[0].rpartition(":")
        return await asyncio.wait_for(asyncio.open_connection(host or "127.0.0.1", int(port)), 5)

    async def _watch(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            end_if_cancelled()
            try:
                while await reader.read(1024):
                    pass
            except OSError:
                pass
            finally:
                writer.close()
            self.suspect_since = utcnow()
            self._settled.clear()
            log.info("the connection to the broker closed; checking whether it kept its logs")
            kept = await self._verdict()
            if not kept:
                self.lost_at = self.suspect_since
                self._settled.set()
                log.warning(
                    "the broker at %s lost its logs (restarted empty)",
                    self.settings.kafka_bootstrap,
                )
                return
            self.suspect_since = None
            self._settled.set()
            reader, writer = await self._reconnect()

    async def _verdict(self) -> bool:
        """Ask until the broker answers: True if the marker is still there."""
        wait = 0.1
        while True:
            end_if_cancelled()
            try:
                present = await asyncio.wait_for(self._marker_present(), 15)
            except (KafkaError, OSError, TimeoutError) as exc:
                log.debug("broker not answering yet (%s)", exc)
                present = None
            if present is not None:
                self.verified += 1
                if present:
                    # A fresh marker, so Kafka's retention never deletes the one relied on.
                    with contextlib.suppress(KafkaError, OSError, TimeoutError):
                        await asyncio.wait_for(self._write_marker(), 15)
                return present
            await asyncio.sleep(wait)
            wait = min(wait * 2, 2.0)

    async def _reconnect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        wait = 0.1
        while True:
            end_if_cancelled()
            try:
                return await self._connect()
            except (OSError, TimeoutError):
                await asyncio.sleep(wait)
                wait = min(wait * 2, 2.0)

    async def _write_marker(self) -> None:
        await ensure_topics(self.settings, [self.marker_topic])
        token = secrets.token_hex(16).encode()
        producer = make_producer(self.settings)
        try:
            await producer.start()
            sent = await producer.send_and_wait(self.marker_topic, key=token, value=b"")
        finally:
            await stop_quietly(producer)
        self._marker = (TopicPartition(self.marker_topic, sent.partition), sent.offset, token)

    async def _marker_present(self) -> bool | None:
        """True if the marker is where it was written, False if it is gone, None if unsure."""
        if self._marker is None:
            return True
        partition, offset, token = self._marker
        reader = AIOKafkaConsumer(
            bootstrap_servers=self.settings.kafka_bootstrap,
            group_id=None,
            enable_auto_commit=False,
            client_id=f"plantline-{self.settings.service}-watch",
            request_timeout_ms=5000,
            fetch_max_wait_ms=self.settings.consumer_fetch_wait_ms,
        )
        await reader.start()
        try:
            if partition.topic not in await reader.topics():
                return False  # the topic itself is gone
            reader.assign([partition])
            start = (await reader.beginning_offsets([partition]))[partition]
            end = (await reader.end_offsets([partition]))[partition]
            if not start <= offset < end:
                return False
            reader.seek(partition, offset)
            batch = await reader.getmany(partition, timeout_ms=3000, max_records=1)
            records = batch.get(partition, [])
            if not records:
                return None
            return records[0].offset == offset and records[0].key == token
        finally:
            await stop_quietly(reader)

    async def stop(self) -> None:
        """Stop watching."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        self._settled.set()
