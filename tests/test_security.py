"""Every API route of every service demands a token with the right scope."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.inventory.app import create_app as create_inventory
from shared.settings import DEVELOPMENT_JWT_SECRET, SERVICES, InsecureSettings, Settings
from shared.testing.stack import TEST_JWT_SECRET, Stack

ROOT = Path(__file__).resolve().parent.parent

WRITE_METHODS = {"post", "put", "patch", "delete"}
QUERIES_SENT_AS_BODIES = {("post", "/api/v1/promises")}


def _operations(openapi: dict) -> list[tuple[str, str]]:
    found = []
    for path, methods in openapi["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method in methods:
            if method in {"get", *WRITE_METHODS}:
                found.append((method, re.sub(r"\{[^}]+\}", "x1", path)))
    return found


@pytest.mark.parametrize("service", SERVICES)
async def test_every_api_route_refuses_no_token_and_a_token_of_another_service(
    sqlite_stack: Stack, service: str
) -> None:
    (client,) = await sqlite_stack.start(service)
    operations = _operations(client.app.openapi())
    if not operations:
        pytest.skip(f"{service} has no /api/v1 routes yet")
    others = [s for s in SERVICES if s != service]
    foreign = sqlite_stack.token([f"{s}:{mode}" for s in others for mode in ("read", "write")])
    for method, path in operations:
        anonymous = await client.request(method, path, headers={"Authorization": ""}, json={})
        assert anonymous.status_code == 401, (method, path, anonymous.status_code)
        refused = await client.request(
            method, path, headers={"Authorization": f"Bearer {foreign}"}, json={}
        )
        assert refused.status_code == 403, (method, path, refused.status_code)
        required = refused.json()["required_scope"]
        # A query sent as a body (a promise computes a date and stores nothing) is a read.
        writes = method in WRITE_METHODS and (method, path) not in QUERIES_SENT_AS_BODIES
        expected_mode = "write" if writes else "read"
        assert required in {f"{service}:{expected_mode}", "admin"}, (method, path, required)


@pytest.mark.parametrize("service", SERVICES)
async def test_the_openapi_document_declares_bearer_auth_for_swagger(
    sqlite_stack: Stack, service: str
) -> None:
    (client,) = await sqlite_stack.start(service)
    document = (await client.get("/openapi.json", headers={"Authorization": ""})).json()
    if not _operations(document):
        pytest.skip(f"{service} has no /api/v1 routes yet")
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def _claims(**overrides: object) -> dict[str, object]:
    return {"sub": "someone", "scope": "admin", "exp": int(time.time()) + 600, **overrides}


def _rsa_private_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


# The HS512 token is signed with the (shorter than SHA-512 wants) test secret on purpose.
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
async def test_wrongly_signed_claimless_and_malformed_tokens_are_401_problems(
    sqlite_stack: Stack,
) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    without_exp = _claims()
    del without_exp["exp"]
    without_sub = _claims()
    del without_sub["sub"]
    tokens = {
        "rs256 instead of hs256": jwt.encode(_claims(), _rsa_private_pem(), algorithm="RS256"),
        "hs512 with the right secret": jwt.encode(_claims(), TEST_JWT_SECRET, algorithm="HS512"),
        "no exp": jwt.encode(without_exp, TEST_JWT_SECRET, algorithm="HS256"),
        "no sub": jwt.encode(without_sub, TEST_JWT_SECRET, algorithm="HS256"),
        "scope not a string": jwt.encode(
            _claims(scope=["admin"]), TEST_JWT_SECRET, algorithm="HS256"
        ),
        "empty": "",
        "two parts": "abc.def",
        "not base64": "%%%.%%%.%%%",
        "truncated signature": jwt.encode(_claims(), TEST_JWT_SECRET, algorithm="HS256")[:-5],
    }
    for name, token in tokens.items():
        response = await inventory.get(
            "/api/v1/items", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 401, name
        assert response.headers["content-type"].startswith("application/problem+json"), name
        assert response.json()["status"] == 401, name
    basic = await inventory.get("/api/v1/items", headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert basic.status_code == 401


async def test_neither_the_jwt_secret_nor_a_bearer_token_appears_in_the_logs(
    sqlite_stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    (inventory,) = await sqlite_stack.start("inventory")
    token = sqlite_stack.token(["inventory:read", "inventory:write"])
    headers = {"Authorization": f"Bearer {token}"}
    item = {"sku": "LOG-1", "name": "Logged", "kind": "raw", "standard_cost": "1"}
    assert (await inventory.post("/api/v1/items", json=item, headers=headers)).status_code == 201
    assert (await inventory.get("/api/v1/items/LOG-1", headers=headers)).status_code == 200
    forged = {"Authorization": f"Bearer {token[:-4]}AAAA"}
    assert (await inventory.get("/api/v1/items", headers=forged)).status_code == 401
    assert caplog.records, "nothing was logged"
    text = "\n".join(f"{record.getMessage()} {record.__dict__!r}" for record in caplog.records)
    assert TEST_JWT_SECRET not in text
    assert token not in text
    assert token.split(".")[2] not in text


SQL_FORMATTING = re.compile(
    r"""(text|exec_driver_sql)\(\s*(f["']|["'][^"']*["']\s*(%|\.format\())"""
)


def test_sql_text_is_never_built_by_string_formatting() -> None:
    offenders = []
    for folder in ("shared", "services", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text()
            for match in SQL_FORMATTING.finditer(source):
                line = source.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, f"SQL built by formatting, use bound parameters: {offenders}"


async def test_a_stored_response_is_replayed_only_to_the_verified_caller_who_made_it(
    sqlite_stack: Stack,
) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    item = {"sku": "MINE-1", "name": "Alice's", "kind": "raw", "standard_cost": "3"}
    key = {"Idempotency-Key": "alice-1"}
    alice = sqlite_stack.token(["inventory:read", "inventory:write"], subject="alice")
    first = await inventory.post(
        "/api/v1/items", json=item, headers={**key, "Authorization": f"Bearer {alice}"}
    )
    assert first.status_code == 201

    other_key = "another-secret-that-is-long-enough-to-sign"
    callers = {
        "forged with alice's sub": jwt.encode(_claims(sub="alice"), other_key, algorithm="HS256"),
        "alice's expired": jwt.encode(
            _claims(sub="alice", exp=int(time.time()) - 60), TEST_JWT_SECRET, algorithm="HS256"
        ),
        "alice's without a signature": jwt.encode(_claims(sub="alice"), None, algorithm="none"),
    }
    for name, token in callers.items():
        response = await inventory.post(
            "/api/v1/items", json=item, headers={**key, "Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 401, name
        assert "idempotent-replayed" not in response.headers, name
        assert "MINE-1" not in response.text, name

    reader = sqlite_stack.token(["inventory:read"], subject="alice")
    refused = await inventory.post(
        "/api/v1/items", json=item, headers={**key, "Authorization": f"Bearer {reader}"}
    )
    assert refused.status_code == 403
    assert "idempotent-replayed" not in refused.headers

    mallory = sqlite_stack.token(["inventory:write"], subject="mallory")
    not_hers = await inventory.post(
        "/api/v1/items", json=item, headers={**key, "Authorization": f"Bearer {mallory}"}
    )
    # Run as her own request: the item exists, so it is refused on its merits.
    assert not_hers.status_code == 409
    assert "idempotent-replayed" not in not_hers.headers

    again = sqlite_stack.token(["inventory:write"], subject="alice")
    replayed = await inventory.post(
        "/api/v1/items", json=item, headers={**key, "Authorization": f"Bearer {again}"}
    )
    assert replayed.status_code == 201
    assert replayed.headers["idempotent-replayed"] == "true"
    assert replayed.json() == first.json()


@pytest.mark.parametrize(
    ("secret", "reason"),
    [(DEVELOPMENT_JWT_SECRET, "built-in development secret"), ("short-secret", "shorter than 32")],
)
def test_outside_development_a_service_refuses_a_known_or_short_jwt_secret(
    tmp_path: Path, secret: str, reason: str
) -> None:
    settings = Settings(service="inventory", data_dir=tmp_path, jwt_secret=secret, dev_mode=False)
    with pytest.raises(InsecureSettings, match=reason):
        create_inventory(settings)
    create_inventory(settings.model_copy(update={"dev_mode": True}))
    create_inventory(settings.model_copy(update={"jwt_secret": "s" * 32}))


def test_the_launcher_names_the_insecure_secret_when_it_refuses_to_serve(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PLANTLINE_") or key == "PLANTLINE_TEST_POSTGRES_DSN"
    }
    env["PLANTLINE_DATA_DIR"] = str(tmp_path)
    refused = subprocess.run(
        [sys.executable, "-m", "shared.launcher", "serve", "inventory"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode != 0
    assert "inventory refuses to start" in refused.stderr
    assert "PLANTLINE_JWT_SECRET" in refused.stderr and "PLANTLINE_DEV_MODE" in refused.stderr
    assert not (tmp_path / "inventory.db").exists()
