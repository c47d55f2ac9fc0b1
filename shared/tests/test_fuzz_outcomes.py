"""How the fuzzer tells an undocumented constraint from a refusal about the service's state."""

from __future__ import annotations

import httpx

from shared.testing.fuzz import _Outcomes

FIELD_ERROR = {"status": 422, "errors": [{"field": "body.quantity", "message": "too many"}]}
STATE_ERROR = {"status": 422, "detail": "No item with sku 'X'."}


def _outcomes(*answers: tuple[int, dict[str, object]]) -> _Outcomes:
    outcomes = _Outcomes()
    for status, body in answers:
        outcomes.record(httpx.Response(status, json=body))
    return outcomes


def test_valid_requests_all_refused_for_their_fields_are_a_mismatch() -> None:
    assert _outcomes((422, FIELD_ERROR), (422, FIELD_ERROR), (404, {})).mismatch()


def test_one_valid_request_served_is_no_mismatch() -> None:
    assert not _outcomes((422, FIELD_ERROR), (201, {})).mismatch()


def test_refusals_about_state_or_missing_resources_are_no_mismatch() -> None:
    assert not _outcomes((422, STATE_ERROR), (404, {}), (409, {}), (412, {})).mismatch()
