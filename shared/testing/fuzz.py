"""Property-based fuzzing of a running service against its own OpenAPI document.

Valid and invalid requests are generated for every operation (schemathesis' coverage cases, then
random ones) and every answer goes through schemathesis' conformance checks. A finding is a
failed check, or a validation mismatch: an operation that refused every valid request with a 4xx
that says the data was wrong, which means it enforces a constraint its document does not state.
"""

from __future__ import annotations

import itertools
import uuid
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.generation import GenerationMode
from schemathesis.generation.hypothesis.examples import generate_one
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
IDEMPOTENCY_KEY = "Idempotency-Key"
# Refusals that say nothing about the data sent: those the CLI's validation-mismatch rule skips,
# and a stale or missing If-Match (a generated version rarely is the resource's current one).
NOT_ABOUT_THE_DATA = {401, 403, 404, 409, 412, 428, 429}

MISMATCH_SHARE = 0.1

OWNERS_ASKED = {
    "production": ("inventory", "operations"),
    "operations": ("production",),
}
"""The services a service asks over HTTP about records its views have not heard of yet, which a
fuzzing run starts beside it."""


@dataclass
class FuzzReport:
    """What a fuzzing run did and what it found."""

    operations: int = 0
    examples: int = 0
    failures: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list[str]:
        """Everything that should fail a run."""
        return self.failures + [f"schema validation mismatch: {m}" for m in self.mismatches]


@dataclass
class _Outcomes:
    """The answers to one operation's valid requests."""

    statuses: Counter[int] = field(default_factory=Counter)
    state_refusals: int = 0
    refusal: str = ""

    def record(self, response: httpx.Response) -> None:
        """Count an answer; a refusal of valid data for what it is, not for its form, is set apart.

        Such a 422 (an unknown sku, no released order to schedule) carries no field `errors`:
        it is about the state of the service, which a document cannot declare.
        """
        status = response.status_code
        self.statuses[status] += 1
        if status == 422 and "errors" not in _problem(response):
            self.state_refusals += 1
        elif status in (400, 422):
            self.refusal = response.text[:300]

    def mismatch(self) -> bool:
        """No valid request served, and a real share refused as invalid data."""
        if not self.statuses or any(code < 400 for code in self.statuses):
            return False
        refused = {c: n for c, n in self.statuses.items() if 400 <= c < 500}
        about_data = sum(n for c, n in refused.items() if c not in NOT_ABOUT_THE_DATA)
        about_data -= self.state_refusals
        return bool(refused) and about_data / sum(refused.values()) >= MISMATCH_SHARE


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _random_cases(
    operation: Any, mode: GenerationMode, max_examples: int, derandomize: bool
) -> list[Any]:
    cases: list[Any] = []

    @settings(
        max_examples=max_examples,
        derandomize=derandomize,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy(generation_mode=mode))
    def collect(case: Any) -> None:
        cases.append(case)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            collect()
        except Unsatisfiable:  # nothing in the operation can be made invalid
            pass
    return cases


def _example_cases(operation: Any) -> list[Any]:
    """The documented examples first: they create what later operations refer to."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            strategies = operation.get_strategies_from_examples(fill_missing=True)
            return [generate_one(strategy) for strategy in strategies]
        except Exception:  # an example schemathesis cannot build; the coverage cases still run
            return []


def _coverage_cases(operation: Any, max_cases: int) -> list[Any]:
    schema = operation.schema
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        generated = schema.iter_coverage_cases(
            operation,
            generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
            generation_config=schema.config.generation_for(operation=operation),
        )
        return list(itertools.islice(generated, max_cases))


def _is_positive(case: Any) -> bool:
    return case.meta is None or not case.meta.generation.mode.is_negative


def _fresh_idempotency_key(case: Any) -> None:
    """A client never reuses a key for another request; generated keys collide all the time."""
    headers = case.headers or {}
    key = headers.get(IDEMPOTENCY_KEY)
    if isinstance(key, str) and _is_positive(case):
        headers[IDEMPOTENCY_KEY] = f"{key.strip()[:100]}-{uuid.uuid4().hex}".lstrip("-")


async def _send(client: httpx.AsyncClient, case: Any) -> httpx.Response:
    _fresh_idempotency_key(case)
    kwargs: dict[str, Any] = {"params": case.query or None}
    headers = {k: str(v) for k, v in (case.headers or {}).items()}
    headers.pop("Authorization", None)  # the client's own token
    if case.body is not NOT_SET:
        if case.media_type and "json" in case.media_type and not isinstance(case.body, bytes):
            kwargs["json"] = case.body
        else:
            kwargs["content"] = case.body if isinstance(case.body, bytes) else str(case.body)
            headers["Content-Type"] = case.media_type or "text/plain"
    return await client.request(case.method, case.formatted_path, headers=headers, **kwargs)


def _summary(error: BaseException) -> str:
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    return " | ".join(lines[:8])


async def fuzz(
    client: httpx.AsyncClient,
    max_examples: int = 10,
    derandomize: bool = True,
    coverage_cases: int = 40,
) -> FuzzReport:
    """Send generated requests to every operation; collect failed checks and mismatches."""
    document = (await client.get("/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(document)
    # The client sends its own token; a generated or missing Authorization is not the data's fault.
    schema.config.generation.update(with_security_parameters=False)
    report = FuzzReport()
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]
        label = f"{operation.method.upper()} {operation.path}"
        report.operations += 1
        cases = _example_cases(operation) + _coverage_cases(operation, coverage_cases)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            cases += _random_cases(operation, mode, max_examples, derandomize)
        outcomes = _Outcomes()
        seen: set[str] = set()
        for case in cases:
            report.examples += 1
            try:
                response = await _send(client, case)
            except Exception as exc:  # the app raised instead of answering
                report.failures.append(f"{label}: raised {exc!r}")
                continue
            if _is_positive(case) and case.method.upper() == operation.method.upper():
                outcomes.record(response)
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:
                finding = f"{label} -> {response.status_code}: {_summary(exc)}"
                if finding not in seen:
                    seen.add(finding)
                    report.failures.append(finding)
        if outcomes.mismatch():
            report.mismatches.append(
                f"{label} answered {dict(outcomes.statuses)}, e.g. {outcomes.refusal}"
            )
    return report
