"""Supplier and delivery on-time in-full."""

from __future__ import annotations

from decimal import Decimal

from services.logistics.domain.performance import combine, otif
from services.logistics.tests.test_deliveries import dispatched
from services.logistics.tests.test_purchasing import ORDER, with_supplier
from shared.testing.stack import Stack


def test_otif_counts_only_deliveries_both_on_time_and_in_full() -> None:
    summary = otif([(True, True), (True, False), (False, True), (True, True)])
    assert (summary.deliveries, summary.on_time, summary.in_full, summary.on_time_in_full) == (
        4,
        3,
        3,
        2,
    )
    assert summary.rate == Decimal("0.5")
    assert otif([]).rate is None
    assert combine([summary, otif([(True, True)])]).on_time_in_full == 3


async def test_supplier_and_delivery_reports(sqlite_stack: Stack) -> None:
    (logistics,) = await sqlite_stack.start("logistics")
    await with_supplier(logistics)
    full = (
        await logistics.post(
            "/api/v1/purchase-orders", json={**ORDER, "expected_date": "2999-01-01"}
        )
    ).json()
    await logistics.post(
        f"/api/v1/purchase-orders/{full['id']}/receive",
        json={
            "warehouse": "MAIN",
            "lines": [{"sku": "TUBE", "quantity": "100"}, {"sku": "BOLT", "quantity": "50"}],
        },
    )
    short = (
        await logistics.post(
            "/api/v1/purchase-orders", json={**ORDER, "expected_date": "2000-01-01"}
        )
    ).json()
    await logistics.post(
        f"/api/v1/purchase-orders/{short['id']}/receive",
        json={"warehouse": "MAIN", "lines": [{"sku": "TUBE", "quantity": "10"}]},
    )
    await logistics.post(f"/api/v1/purchase-orders/{short['id']}/close")
    await logistics.post("/api/v1/purchase-orders", json=ORDER)
    [acme] = (await logistics.get("/api/v1/performance/suppliers")).json()
    assert acme == {
        "supplier": "ACME",
        "deliveries": 2,
        "on_time": 1,
        "in_full": 1,
        "on_time_in_full": 1,
        "otif_rate": "0.5",
    }
    for due_in_days in (1, -1, 3):
        shipment = await dispatched(logistics, due_in_days)
        await logistics.post(f"/api/v1/shipments/{shipment}/status", json={"status": "delivered"})
    report = (await logistics.get("/api/v1/performance/deliveries")).json()
    assert (report["deliveries"], report["on_time_in_full"], report["otif_rate"]) == (
        3,
        2,
        "0.6667",
    )
    assert [c["customer"] for c in report["customers"]] == ["Velo Shop"]
