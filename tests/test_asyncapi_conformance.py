"""Events actually published on the topics conform to the services' AsyncAPI documents."""

from __future__ import annotations

import asyncio
import importlib
import json
from typing import Any

import jsonschema
from aiokafka import AIOKafkaConsumer

from shared.events import EventCatalog
from shared.settings import SERVICES
from shared.testing.schema_samples import sample_of
from shared.testing.stack import ServiceClient, Stack

ITEMS = [
    {"sku": "ASYNC-RAW", "name": "Raw part", "kind": "raw", "standard_cost": "1.25"},
    {"sku": "ASYNC-FIN", "name": "Finished part", "kind": "finished", "standard_cost": "10"},
]


DRIVEN = {
    "inventory.item.created",
    "inventory.movement.recorded",
    "inventory.stock.changed",
    "inventory.lot.held",
}


async def _flow(clients: dict[str, ServiceClient]) -> None:
    """Requests that publish events of several types; every type is also checked by sample."""
    inventory = clients["inventory"]
    for item in ITEMS:
        response = await inventory.post("/api/v1/items", json=item)
        assert response.status_code == 201, response.text
    receipt = {"kind": "receipt", "sku": "ASYNC-RAW", "quantity": "5", "lot": "L-1"}
    response = await inventory.post("/api/v1/movements", json=receipt)
    assert response.status_code == 201, response.text
    hold = {"sku": "ASYNC-RAW", "lot": "L-1", "reason": "conformance"}
    response = await inventory.post("/api/v1/holds", json=hold)
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
            seen = {e["type"] for e in events}
            if {i["sku"] for i in ITEMS} <= created and DRIVEN <= seen and quiet_rounds >= 2:
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
    assert {e["type"] for e in events} >= DRIVEN

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


def _catalog(service: str) -> EventCatalog:
    return importlib.import_module(f"services.{service}.events").catalog  # type: ignore[no-any-return]


async def test_every_event_type_each_service_publishes_conforms_to_its_served_schema(
    sqlite_stack: Stack,
) -> None:
    started = await sqlite_stack.start(*SERVICES, enable_messaging=False)
    checked = 0
    for service, client in zip(SERVICES, started, strict=True):
        catalog = _catalog(service)
        document = (await client.get("/asyncapi.json")).json()
        listed = {m["name"] for m in document["components"]["messages"].values()}
        assert listed == set(catalog.types), service
        for event_type, model in sorted(catalog.types.items()):
            response = await client.get(f"/events/schemas/{event_type}/v{model.schema_version}")
            assert response.status_code == 200, (event_type, response.status_code)
            served = response.json()
            # Built through the event model, serialised as the outbox does.
            event = model.model_validate(sample_of(model.model_json_schema(mode="validation")))
            jsonschema.validate(json.loads(event.model_dump_json()), served)
            checked += 1
    assert checked == sum(len(_catalog(s).types) for s in SERVICES) >= 30
