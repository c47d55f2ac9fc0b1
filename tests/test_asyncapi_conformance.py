"""Events actually published on the topics conform to the services' AsyncAPI documents."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import jsonschema
from aiokafka import AIOKafkaConsumer

from shared.settings import SERVICES
from shared.testing.stack import ServiceClient, Stack

ITEMS = [
    {"sku": "ASYNC-RAW", "name": "Raw part", "kind": "raw", "standard_cost": "1.25"},
    {"sku": "ASYNC-FIN", "name": "Finished part", "kind": "finished", "standard_cost": "10"},
]


async def _flow(clients: dict[str, ServiceClient]) -> None:
    """Whatever the services offer today that publishes events."""
    for item in ITEMS:
        response = await clients["inventory"].post("/api/v1/items", json=item)
        assert response.status_code == 201, response.text


async def _published(stack: Stack, clients: dict[str, ServiceClient]) -> list[dict[str, Any]]:
    topics = [clients[name].settings.events_topic() for name in SERVICES]
    consumer = AIOKafkaConsumer(
        *topics, bootstrap_servers=stack.bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    events: list[dict[str, Any]] = []
    try:
        deadline = asyncio.get_running_loop().time() + 20
        quiet_rounds = 0
        while asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            fresh = [json.loads(m.value) for records in batch.values() for m in records]
            events.extend(fresh)
            created = {e["subject"] for e in events if e["type"] == "inventory.item.created"}
            quiet_rounds = 0 if fresh else quiet_rounds + 1
            if {i["sku"] for i in ITEMS} <= created and quiet_rounds >= 2:
                break
    finally:
        await consumer.stop()
    return events


async def test_every_published_event_is_documented_and_its_data_matches_the_served_schema(
    sqlite_stack: Stack,
) -> None:
    started = await sqlite_stack.start(*SERVICES)
    clients = dict(zip(SERVICES, started, strict=True))
    await _flow(clients)
    events = await _published(sqlite_stack, clients)
    assert {e["type"] for e in events} >= {"inventory.item.created"}

    documents = {
        name: (await client.get("/asyncapi.json")).json() for name, client in clients.items()
    }
    schemas: dict[tuple[str, int], dict[str, Any]] = {}
    for event in events:
        service = event["type"].split(".")[0]
        assert event["source"] == f"/plantline/{service}", event["source"]
        document = documents[service]
        listed = {m["name"] for m in document["components"]["messages"].values()}
        assert event["type"] in listed, f"{event['type']} is not in {service}'s AsyncAPI"
        version = int(event.get("dataversion", 1))
        key = (event["type"], version)
        if key not in schemas:
            response = await clients[service].get(f"/events/schemas/{event['type']}/v{version}")
            assert response.status_code == 200, (key, response.status_code)
            schemas[key] = response.json()
        jsonschema.validate(event["data"], schemas[key])
        if "dataschema" in event:
            assert event["dataschema"].endswith(f"/events/schemas/{event['type']}/v{version}")
