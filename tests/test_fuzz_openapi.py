"""Generated requests, valid and invalid, get documented answers from every operation.

Every answer passes schemathesis' conformance checks (no server error, the documented status,
content type and schema, invalid data refused) and no operation refuses all valid data.
"""

from __future__ import annotations

import pytest

from shared.settings import SERVICES
from shared.testing.fuzz import OWNERS_ASKED, fuzz
from shared.testing.stack import Stack


@pytest.mark.parametrize("service", SERVICES)
async def test_fuzzed_requests_get_documented_answers_and_invalid_ones_are_refused(
    sqlite_stack: Stack, service: str
) -> None:
    *_owners, client = await sqlite_stack.start(*OWNERS_ASKED.get(service, ()), service)
    report = await fuzz(client, max_examples=1, coverage_cases=3)
    assert report.operations > 0 and report.examples > 3 * report.operations
    assert not report.findings, "\n".join(report.findings[:20])
