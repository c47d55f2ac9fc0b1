"""Property-based fuzzing of a running service against its own OpenAPI document."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass
class FuzzReport:
    """What a fuzzing run did and what it found."""

    operations: int = 0
    examples: int = 0
    failures: list[str] = field(default_factory=list)


def _cases(operation: Any, max_examples: int, derandomize: bool) -> list[Any]:
    cases: list[Any] = []

    @settings(
        max_examples=max_examples,
        derandomize=derandomize,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy())
    def collect(case: Any) -> None:
        cases.append(case)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        collect()
    return cases


async def fuzz(
    client: httpx.AsyncClient, max_examples: int = 10, derandomize: bool = True
) -> FuzzReport:
    """Send generated requests to every operation; collect 5xx and schema mismatches."""
    document = (await client.get("/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(document)
    report = FuzzReport()
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]
        report.operations += 1
        for case in _cases(operation, max_examples, derandomize):
            report.examples += 1
            kwargs: dict[str, Any] = {"params": case.query or None}
            headers = {k: str(v) for k, v in (case.headers or {}).items()}
            headers.pop("Authorization", None)
            if case.body is not NOT_SET:
                if case.media_type and "json" in case.media_type:
                    kwargs["json"] = case.body
                else:
                    kwargs["content"] = str(case.body)
                    headers["Content-Type"] = case.media_type or "text/plain"
            try:
                response = await client.request(
                    case.method, case.formatted_path, headers=headers, **kwargs
                )
            except Exception as exc:  # the app raised instead of answering
                report.failures.append(f"{case.method} {case.formatted_path}: raised {exc!r}")
                continue
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:
                first = str(exc).strip().splitlines()
                summary = " | ".join(line for line in first[:6] if line.strip())
                report.failures.append(
                    f"{case.method} {operation.path} -> {response.status_code}: {summary}"
                )
    return report
