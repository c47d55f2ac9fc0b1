"""RFC 9457: in every problem a service can raise, `status` is the HTTP status code."""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path

import jsonschema
import pytest

from services.inventory.tests.support import add_item, move
from shared.errors import RESERVED_MEMBERS, IllegalTransition, Problem, problem_response
from shared.openapi import PROBLEM_SCHEMA
from shared.settings import SERVICES
from shared.testing.stack import Stack

ROOT = Path(__file__).resolve().parents[1]


def _problem_types() -> list[type[Problem]]:
    """Problem and every subclass the services and the shared package define."""
    for name in SERVICES:
        importlib.import_module(f"services.{name}.app")
    found: list[type[Problem]] = []
    pending: list[type[Problem]] = [Problem]
    while pending:
        kind = pending.pop()
        found.append(kind)
        pending.extend(kind.__subclasses__())
    return found


PROBLEM_TYPES = _problem_types()


def test_a_resource_state_given_as_status_goes_to_current_status() -> None:
    problem = IllegalTransition("A completed order cannot be released.", status="completed")
    body = problem.body("/api/v1/orders/1/release")
    assert body["status"] == 409
    assert body["current_status"] == "completed"


@pytest.mark.parametrize("member", sorted(RESERVED_MEMBERS - {"status"}))
def test_an_extension_may_not_replace_a_member_rfc_9457_defines(member: str) -> None:
    with pytest.raises(TypeError, match=member):
        Problem("detail", **{member: "replaced"})


@pytest.mark.parametrize("kind", PROBLEM_TYPES, ids=lambda kind: kind.__name__)
def test_every_problem_type_answers_with_its_status_in_the_body_and_the_documented_shape(
    kind: type[Problem],
) -> None:
    problem = kind("Something the client can act on.", current_status="open", sku="X")
    response = problem_response(problem, "/api/v1/anything")
    body = json.loads(bytes(response.body))
    assert body["status"] == response.status_code == kind.status
    assert isinstance(body["status"], int) and 400 <= body["status"] <= 599
    assert response.media_type == "application/problem+json"
    assert body["type"].endswith(kind.slug) and body["title"] == kind.title
    jsonschema.validate(body, PROBLEM_SCHEMA)


def _raise_sites() -> list[tuple[str, int, str, list[str]]]:
    """Every call of a problem type in the services and the shared package, with its keywords."""
    names = {kind.__name__ for kind in PROBLEM_TYPES}
    sites = []
    for folder in ("services", "shared"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "tests" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if called in names:
                    keywords = [k.arg for k in node.keywords if k.arg is not None]
                    sites.append((str(path.relative_to(ROOT)), node.lineno, called, keywords))
    return sites


def test_no_raise_site_passes_a_member_rfc_9457_defines_as_an_extension() -> None:
    sites = _raise_sites()
    assert len(sites) > 50, "the walk found too few raise sites to be looking at the code"
    clashing = [
        f"{path}:{line} {called}({', '.join(sorted(RESERVED_MEMBERS & set(keywords)))}=...)"
        for path, line, called, keywords in sites
        if RESERVED_MEMBERS & set(keywords)
    ]
    assert not clashing, "\n".join(clashing)
    assert any("current_status" in keywords for *_, keywords in sites)


async def test_an_illegal_transition_answers_409_with_the_state_in_current_status(
    sqlite_stack: Stack,
) -> None:
    (inventory,) = await sqlite_stack.start("inventory")
    await add_item(inventory, "PIPE")
    await move(inventory, "receipt", "PIPE", "3", lot="P1")
    held = await inventory.post("/api/v1/holds", json={"sku": "PIPE", "lot": "P1", "reason": "x"})
    assert held.status_code == 201, held.text
    url = f"/api/v1/holds/{held.json()['id']}/release"
    assert (await inventory.post(url)).status_code == 200

    again = await inventory.post(url)
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    problem = again.json()
    assert problem["status"] == 409 and problem["current_status"] == "released"
    assert problem["type"].endswith("illegal-transition") and problem["instance"] == url
    document = (await inventory.get("/openapi.json")).json()
    jsonschema.validate(problem, document["components"]["schemas"]["Problem"])
