"""Generated requests to every operation never get a 5xx nor an undocumented response."""

from __future__ import annotations

import pytest

from shared.settings import SERVICES
from shared.testing.fuzz import fuzz
from shared.testing.stack import Stack

# The services a service asks over HTTP about references its views have not heard of yet.
OWNERS_ASKED = {"production": ("inventory", "operations")}


@pytest.mark.parametrize("service", SERVICES)
async def test_fuzzed_requests_get_documented_answers_and_no_server_error(
    sqlite_stack: Stack, service: str
) -> None:
    *_owners, client = await sqlite_stack.start(*OWNERS_ASKED.get(service, ()), service)
    report = await fuzz(client, max_examples=5)
    assert report.operations > 0
    assert not report.failures, "\n".join(report.failures[:20])
