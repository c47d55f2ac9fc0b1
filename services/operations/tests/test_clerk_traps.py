"""A work-center code typed in the wrong case gets a 404 that names the right one."""

from __future__ import annotations

from services.operations.tests.support import add_work_center
from shared.testing.stack import Stack


async def test_a_work_center_code_in_the_wrong_case_is_a_404_suggesting_the_right_one(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "WELD-1")
    response = await ops.get("/api/v1/work-centers/weld-1")
    assert response.status_code == 404, response.text
    assert response.json()["detail"] == "Unknown work center 'weld-1'; did you mean 'WELD-1'?"
    listed = await ops.get("/api/v1/work-centers/Weld-1/dispatch-list")
    assert listed.status_code == 404, listed.text
    assert listed.json()["suggestion"] == "WELD-1"
    downtime = await ops.post(
        "/api/v1/work-centers/weld-1/downtimes",
        json={"start": "2026-12-03T08:00:00Z", "end": "2026-12-03T09:00:00Z", "kind": "planned"},
    )
    assert downtime.status_code == 404
    assert downtime.json()["suggestion"] == "WELD-1"
