"""Auth, problem details, Idempotency-Key, health and metrics, on a real service."""

from __future__ import annotations

import asyncio
import time

import jwt

from shared.testing.stack import TEST_JWT_SECRET, Stack

ITEM = {"sku": "NUT-M6", "name": "Nut M6", "kind": "raw", "standard_cost": "0.05"}


async def test_a_call_without_a_token_is_401_and_with_the_wrong_scope_403(
    sqlite_stack: Stack,
) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    anonymous = await inventory.get("/api/v1/items", headers={"Authorization": ""})
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    assert anonymous.headers["www-authenticate"] == "Bearer"

    reader = {"Authorization": f"Bearer {sqlite_stack.token('inventory:read')}"}
    assert (await inventory.get("/api/v1/items", headers=reader)).status_code == 200
    refused = await inventory.post("/api/v1/items", json=ITEM, headers=reader)
    assert refused.status_code == 403
    assert refused.json()["required_scope"] == "inventory:write"
    assert (await inventory.get("/api/v1/items/NUT-M6")).status_code == 404

    other_service = {
        "Authorization": f"Bearer {sqlite_stack.token('production:write production:read')}"
    }
    assert (await inventory.get("/api/v1/items", headers=other_service)).status_code == 403
    admin = {"Authorization": f"Bearer {sqlite_stack.token('admin')}"}
    assert (await inventory.post("/api/v1/items", json=ITEM, headers=admin)).status_code == 201


async def test_expired_forged_and_unsigned_tokens_are_refused(sqlite_stack: Stack) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    now = int(time.time())
    claims = {"sub": "x", "scope": "admin", "exp": now + 600}
    tokens = {
        "expired": jwt.encode({**claims, "exp": now - 10}, TEST_JWT_SECRET, algorithm="HS256"),
        "forged": jwt.encode(
            claims, "another-secret-that-is-long-enough-to-sign", algorithm="HS256"
        ),
        "none": jwt.encode(claims, None, algorithm="none"),  # type: ignore[arg-type]
        "garbage": "not.a.token",
    }
    for name, token in tokens.items():
        response = await inventory.get(
            "/api/v1/items", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 401, name
        assert "token" in response.json()["detail"].lower(), name


async def test_bad_input_is_a_problem_naming_the_fields_and_changes_nothing(
    sqlite_stack: Stack,
) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    bad = await inventory.post(
        "/api/v1/items", json={**ITEM, "standard_cost": "-1", "kind": "gas", "surprise": 1}
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    problem = bad.json()
    assert problem["type"].endswith("validation-error") and problem["status"] == 422
    fields = {error["field"] for error in problem["errors"]}
    assert {"body.standard_cost", "body.kind", "body.surprise"} <= fields
    assert "Traceback" not in bad.text
    not_json = await inventory.post(
        "/api/v1/items", content=b"{oops", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 422
    assert (await inventory.get("/api/v1/items")).json()["total"] == 0


async def test_an_idempotency_key_replays_the_first_response_with_one_effect(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    headers = {"Idempotency-Key": "create-nut-1"}
    first = await inventory.post("/api/v1/items", json=ITEM, headers=headers)
    assert first.status_code == 201
    replays = await asyncio.gather(
        *(inventory.post("/api/v1/items", json=ITEM, headers=headers) for _ in range(5))
    )
    for replay in replays:
        assert replay.status_code == 201
        assert replay.json() == first.json()
        assert replay.headers["idempotent-replayed"] == "true"
    other_body = await inventory.post(
        "/api/v1/items", json={**ITEM, "name": "Other"}, headers=headers
    )
    assert other_body.status_code == 422
    assert other_body.json()["type"].endswith("idempotency-key-reused")
    assert (await inventory.get("/api/v1/items")).json()["total"] == 1
    async with inventory.app.state.database.transaction() as session:
        from sqlalchemy import func, select

        outbox = inventory.app.state.tables.outbox
        assert (await session.execute(select(func.count()).select_from(outbox))).scalar_one() == 1


async def test_concurrent_first_requests_with_one_key_have_one_effect(stack: Stack) -> None:
    (inventory,) = await stack.start("inventory")
    headers = {"Idempotency-Key": "race-1"}
    responses = await asyncio.gather(
        *(inventory.post("/api/v1/items", json=ITEM, headers=headers) for _ in range(8))
    )
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) >= 1 and set(codes) <= {201, 409}
    assert all(r.json()["type"].endswith("in-flight") for r in responses if r.status_code == 409)
    assert (await inventory.get("/api/v1/items")).json()["total"] == 1


async def test_health_metrics_and_event_documents_need_no_token(sqlite_stack: Stack) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    bare = {"Authorization": ""}
    assert (await inventory.get("/health/live", headers=bare)).json()["status"] == "ok"
    ready = await inventory.get("/health/ready", headers=bare)
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "broker": "ok"}
    await inventory.post("/api/v1/items", json=ITEM)
    metrics = (await inventory.get("/metrics", headers=bare)).text
    assert "plantline_http_request_seconds" in metrics
    asyncapi = (await inventory.get("/asyncapi.json", headers=bare)).json()
    assert asyncapi["channels"]["events"]["address"] == inventory.settings.events_topic()
    assert "inventory_item_created" in asyncapi["components"]["messages"]
    schema = await inventory.get("/events/schemas/inventory.item.created/v1", headers=bare)
    assert schema.status_code == 200 and "sku" in schema.json()["properties"]
    assert (await inventory.get("/docs", headers=bare)).status_code == 200


async def test_an_oversized_body_is_refused_with_413(sqlite_stack: Stack) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    huge = {**ITEM, "name": "x" * 2_000_000}
    response = await inventory.post("/api/v1/items", json=huge)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
