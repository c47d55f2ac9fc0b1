"""Partitions a consumer holds back while a passing failure lasts, each with its own backoff."""

from __future__ import annotations

import time
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.settings import Settings


@dataclass
class _Stall:
    attempts: int
    resume_at: float
    offset: int


class StalledPartitions:
    """Pauses a partition at the record to read again and resumes it after a growing wait.

    The partition is paused rather than waited on, so the consumer keeps polling (and stays in
    its group) and other partitions keep flowing; its offset stays uncommitted at the record.
    """

    def __init__(self, settings: Settings) -> None:
        self.first_wait = max(0.01, settings.consumer_retry_backoff_seconds)
        self.longest_wait = max(self.first_wait, settings.consumer_stall_max_backoff_seconds)
        self._stalls: dict[TopicPartition, _Stall] = {}

    def hold(self, consumer: AIOKafkaConsumer, partition: TopicPartition, offset: int) -> None:
        """Pause a partition and move it back to the offset to read again from; a partition
        taken away meanwhile is left alone (its next owner starts at the committed offset)."""
        if partition not in consumer.assignment():
            return
        stall = self._stalls.get(partition) or _Stall(attempts=0, resume_at=0.0, offset=offset)
        stall.attempts += 1
        stall.offset = offset
        wait = min(self.longest_wait, self.first_wait * 2 ** (stall.attempts - 1))
        stall.resume_at = time.monotonic() + wait
        self._stalls[partition] = stall
        consumer.pause(partition)
        consumer.seek(partition, offset)

    def holds(self, partition: TopicPartition) -> bool:
        """True while a partition waits for its retry."""
        stall = self._stalls.get(partition)
        return stall is not None and stall.resume_at > time.monotonic()

    def rewind(self, consumer: AIOKafkaConsumer, partition: TopicPartition) -> None:
        """Move a held partition back to its record to read again (records fetched before the
        pause took effect must not move it on)."""
        stall = self._stalls.get(partition)
        if stall is not None:
            consumer.seek(partition, stall.offset)

    def resume_due(self, consumer: AIOKafkaConsumer) -> None:
        """Resume the partitions whose wait is over; forget those no longer assigned."""
        assigned = consumer.assignment()
        now = time.monotonic()
        for partition, stall in list(self._stalls.items()):
            if partition not in assigned:
                del self._stalls[partition]
            elif stall.resume_at <= now and partition in consumer.paused():
                consumer.resume(partition)

    def forget(self, partition: TopicPartition) -> None:
        """The partition moved on: its next stall starts from the first wait again."""
        self._stalls.pop(partition, None)
