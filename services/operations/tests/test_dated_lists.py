"""Downtimes and dispatch lists sorted either way."""

from __future__ import annotations

from services.operations.tests.support import add_work_center
from shared.testing.stack import Stack


async def test_downtimes_sort_latest_first_and_keep_a_window_of_dates(stack: Stack) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "MILL")
    made = []
    for day in ("2026-12-01", "2026-12-03", "2026-12-02"):
        response = await ops.post(
            "/api/v1/work-centers/MILL/downtimes",
            json={"start": f"{day}T08:00:00Z", "end": f"{day}T09:00:00Z", "kind": "planned"},
        )
        assert response.status_code == 201, response.text
        made.append(response.json()["id"])
    path = "/api/v1/work-centers/MILL/downtimes"
    assert [d["id"] for d in (await ops.get(path)).json()["items"]] == [made[0], made[2], made[1]]
    latest = await ops.get(path, params={"sort": "-start"})
    assert [d["id"] for d in latest.json()["items"]] == [made[1], made[2], made[0]]
    recorded = await ops.get(path, params={"sort": "-recorded_at"})
    assert [d["id"] for d in recorded.json()["items"]] == made[::-1]
    dispatch = await ops.get(
        "/api/v1/work-centers/MILL/dispatch-list",
        params={"sort": "-planned_start", "from": "2026-12-01"},
    )
    assert dispatch.status_code == 200, dispatch.text
    requests = await ops.get("/api/v1/work-requests", params={"sort": "-created_at"})
    assert requests.status_code == 200, requests.text
    assert (await ops.get("/api/v1/work-requests", params={"sort": "-kind"})).status_code == 422
