"""The station page: a shell anyone can load, and a dispatch fragment only a token opens."""

from __future__ import annotations

from services.operations.tests.support import (
    ScheduleForTest,
    add_work_center,
    apply_directly,
    operation,
    reserve_materials,
    tasks_of,
)
from shared.testing.stack import Stack

SCHEDULE = ScheduleForTest(
    schedule_id="S1",
    version=1,
    operations=[
        operation("O1", 10, "CUT", "2026-12-01T08:00:00+00:00", "2026-12-01T09:00:00+00:00"),
        operation("O2", 10, "CUT", "2026-12-01T09:00:00+00:00", "2026-12-01T10:00:00+00:00"),
    ],
)
ANONYMOUS = {"Authorization": ""}


async def test_the_station_shell_loads_without_a_token_and_uses_only_local_assets(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    page = await ops.get("/stations/CUT", headers=ANONYMOUS)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'hx-get="/stations/CUT/dispatch"' in page.text
    assert 'src="/pages/assets/htmx.min.js"' in page.text
    assert "https://" not in page.text
    for asset in ("htmx.min.js", "pages.js", "station.js", "station.css"):
        assert (await ops.get(f"/pages/assets/{asset}", headers=ANONYMOUS)).status_code == 200


async def test_the_dispatch_fragment_needs_a_token_and_shows_the_running_task_large(
    stack: Stack,
) -> None:
    (ops,) = await stack.start("operations")
    await add_work_center(ops, "CUT", calendar={"timezone": "Europe/Paris", "shifts": []})
    await apply_directly(ops, SCHEDULE)
    await reserve_materials(ops, *(o["order_id"] for o in SCHEDULE.operations))
    first, second = await tasks_of(ops, "CUT")

    assert (await ops.get("/stations/CUT/dispatch", headers=ANONYMOUS)).status_code == 401
    reader = {"Authorization": f"Bearer {stack.token('production:read')}"}
    assert (await ops.get("/stations/CUT/dispatch", headers=reader)).status_code == 403
    assert (await ops.get("/stations/NOPE/dispatch")).status_code == 404

    before = (await ops.get("/stations/CUT/dispatch")).text
    assert "Nothing is running" in before
    assert before.count('data-action="start"') == 2
    assert "Tue 2026-12-01 09:00" in before  # 08:00 UTC in Paris
    assert (await ops.post(f"/api/v1/tasks/{first['id']}/start")).status_code == 200

    after = (await ops.get("/stations/CUT/dispatch")).text
    running, queue = after.split('class="next"')
    assert f'data-task="{first["id"]}"' in running and "RUNNING" in running
    assert 'data-action="pause"' in running and 'data-action="complete"' in running
    for reason in ("breakdown", "material", "setup", "quality", "break", "other"):
        assert f'<option value="{reason}">' in running
    assert f'data-task="{second["id"]}"' in queue and 'data-action="start"' in queue
