"""The CloudEvents envelope survives a round trip, through JSON and through the broker."""

from __future__ import annotations

from collections.abc import Callable

from shared.db import Database
from shared.embedded_broker import EmbeddedBroker
from shared.events import Envelope, make_envelope
from shared.outbox import OutboxRelay
from shared.settings import Settings
from shared.tests.probe import ThingHappened, outbox, read_topic, record_things, running


def test_envelope_round_trips_through_json_unchanged() -> None:
    envelope = make_envelope(
        service="inventory",
        event=ThingHappened(key="A", n=3),
        subject="A",
        event_id="0b6f5f1e-7f63-4a44-9a55-5b3b0c4d8e11",
        sequence=7,
        traceparent="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    )
    parsed = Envelope.parse(envelope.to_json())
    assert parsed == envelope
    assert parsed.specversion == "1.0"
    assert parsed.source == "/plantline/inventory"
    assert parsed.type == "inventory.thing.happened"
    assert parsed.dataschema == "/events/schemas/inventory.thing.happened/v1"
    assert parsed.data == {"key": "A", "n": 3}


async def test_published_envelope_carries_sequence_trace_and_key(
    broker: EmbeddedBroker, probe_database: Database, settings_for: Callable[..., Settings]
) -> None:
    settings = settings_for("inventory", broker.bootstrap)
    await record_things(probe_database, [("A", 1), ("A", 2), ("B", 1)])
    async with running(OutboxRelay(settings, probe_database, outbox).run()):
        records = await read_topic(settings, settings.events_topic(), expected=3)
    assert len(records) == 3
    by_key: dict[bytes, list[int]] = {}
    for record in records:
        envelope = Envelope.parse(record.value)
        assert record.key.decode() == envelope.subject
        assert dict(record.headers)["ce_type"] == b"inventory.thing.happened"
        by_key.setdefault(record.key, []).append(envelope.sequence)
    assert by_key == {b"A": [1, 2], b"B": [1]}
