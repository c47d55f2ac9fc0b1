"""A supplier code typed in the wrong case gets a 404 that names the right one."""

from __future__ import annotations

from shared.testing.stack import Stack


async def test_a_supplier_code_in_the_wrong_case_is_a_404_suggesting_the_right_one(
    stack: Stack,
) -> None:
    (logistics,) = await stack.start("logistics")
    created = await logistics.post(
        "/api/v1/suppliers", json={"code": "ACME", "name": "Acme", "lead_time_days": 7}
    )
    assert created.status_code == 201, created.text
    response = await logistics.get("/api/v1/suppliers/acme")
    assert response.status_code == 404
    assert response.json()["detail"] == "Unknown supplier 'acme'; did you mean 'ACME'?"
    assert response.json()["suggestion"] == "ACME"
