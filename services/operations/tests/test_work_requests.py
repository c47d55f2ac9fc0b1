"""Work requests between departments, by hand and raised from other services' events."""

from __future__ import annotations

import uuid
from typing import Any

from services.operations.tests.support import foreign_event
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually


async def _organisation(ops: ServiceClient) -> None:
    await ops.post("/api/v1/departments", json={"code": "ASSY", "name": "Assembly"})
    await ops.post("/api/v1/departments", json={"code": "MAINT", "name": "Maintenance"})
    team = {"code": "FIX", "name": "Fixers", "department": "MAINT", "members": [{"name": "Ana"}]}
    assert (await ops.post("/api/v1/teams", json=team)).status_code == 201


async def test_a_request_is_assigned_progressed_and_closed_and_closed_means_closed(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    await _organisation(ops)
    body = {
        "department": "ASSY",
        "kind": "maintenance",
        "title": "Leak on MILL",
        "work_center": "MILL",
    }
    assert (
        await ops.post("/api/v1/work-requests", json={**body, "department": "NOPE"})
    ).status_code == 422
    assert (
        await ops.post("/api/v1/work-requests", json={**body, "kind": "party"})
    ).status_code == 422
    created = await ops.post("/api/v1/work-requests", json=body)
    assert created.status_code == 201, created.text
    path = f"/api/v1/work-requests/{created.json()['id']}"
    assert created.json()["status"] == "open"
    early = await ops.post(f"{path}/progress", json={"note": "x", "percent_complete": 10})
    assert early.status_code == 409
    assert (await ops.post(f"{path}/assign", json={"team": "NOPE"})).status_code == 422
    assigned = await ops.post(f"{path}/assign", json={"team": "FIX"})
    assert (assigned.json()["status"], assigned.json()["team"]) == ("assigned", "FIX")
    progressed = await ops.post(
        f"{path}/progress", json={"note": "Seal ordered", "percent_complete": 40}
    )
    assert progressed.json()["status"] == "in_progress"
    assert progressed.json()["percent_complete"] == 40
    closed = await ops.post(f"{path}/close", json={"resolution": "Seal replaced"})
    assert closed.status_code == 200, closed.text
    after = closed.json()
    assert (after["status"], after["resolution"]) == ("closed", "Seal replaced")
    assert [n["note"] for n in after["notes"]] == ["Seal ordered"]
    for action, payload in (
        ("assign", {"team": "FIX"}),
        ("progress", {"note": "more", "percent_complete": 90}),
        ("close", {"resolution": "again"}),
    ):
        assert (await ops.post(f"{path}/{action}", json=payload)).status_code == 409
    assert (await ops.get(path)).json() == after
    listed = await ops.get(
        "/api/v1/work-requests", params={"department": "ASSY", "status": "closed"}
    )
    assert listed.json()["total"] == 1
    assert (await ops.get("/api/v1/work-requests/nope")).status_code == 404


async def test_stock_alerts_rejected_reservations_and_late_orders_raise_requests_once(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    await _organisation(ops)
    alert = foreign_event(
        "inventory.stock.below_reorder_point",
        sku="BOLT",
        available="3",
        reorder_point="10",
        reorder_quantity="50",
        safety_stock="0",
        suggested_quantity="57",
    )
    rejected = foreign_event(
        "inventory.reservation.rejected",
        reference="O1",
        shortages=[{"sku": "TUBE", "requested": "8", "available": "5"}],
    )
    late = foreign_event(
        "production.order.late", order_id="O2", product_sku="BIKE", due_date="2026-12-01"
    )
    await produce(
        ops,
        "inventory",
        [
            (alert, "BOLT", str(uuid.uuid4()), 1),
            (alert, "BOLT", str(uuid.uuid4()), 2),
            (rejected, "O1", str(uuid.uuid4()), 1),
        ],
    )
    failed = foreign_event(
        "production.inspection.recorded",
        inspection_id="I1",
        order_id="O3",
        product_sku="BIKE",
        result="fail",
        defects=[{"code": "SCRATCH", "count": 2}],
    )
    passed = foreign_event(
        "production.inspection.recorded",
        inspection_id="I2",
        order_id="O4",
        result="pass",
        defects=[],
    )
    await produce(
        ops,
        "production",
        [
            (late, "O2", str(uuid.uuid4()), 1),
            (passed, "I2", str(uuid.uuid4()), 1),
            (failed, "I1", str(uuid.uuid4()), 1),
        ],
    )

    async def raised() -> list[dict[str, Any]] | None:
        items = (await ops.get("/api/v1/work-requests")).json()["items"]
        return items if len(items) >= 4 else None

    requests = {(r["kind"], r["sku"] or r["order_id"]): r for r in await eventually(raised)}
    assert set(requests) == {
        ("material", "BOLT"),
        ("material", "O1"),
        ("engineering", "O2"),
        ("quality", "O3"),
    }
    assert "SCRATCH x2" in requests[("quality", "O3")]["title"]
    assert "TUBE (3 short)" in requests[("material", "O1")]["title"]
    assert requests[("engineering", "O2")]["origin"] == "production.order.late"
    assert requests[("material", "BOLT")]["department"] is None
    # Assigning takes the team's department; a second alert while it is open raised nothing.
    bolt = requests[("material", "BOLT")]["id"]
    assigned = await ops.post(f"/api/v1/work-requests/{bolt}/assign", json={"team": "FIX"})
    assert assigned.json()["department"] == "MAINT"
    assert (await ops.get("/api/v1/work-requests")).json()["total"] == 4
