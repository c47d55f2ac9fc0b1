"""The station and Gantt pages driven in a real browser (Chromium headless through Selenium).

Skipped when no Chromium and chromedriver are installed, except in CI (CI=true), where a
missing browser fails the run. Screenshots go to the test's folder, and also to
PLANTLINE_SCREENSHOT_DIR when it is set.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI

from services.operations.tests.support import (
    ScheduleForTest,
    add_work_center,
    apply_directly,
    operation,
    reserve_materials,
    tasks_of,
)
from services.production.tests.test_gantt_chart import (
    PLANNED_MONDAY,
    schedulable_orders,
    seed_shop,
)
from shared.embedded_broker import free_port
from shared.testing.stack import Stack

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
WAIT_SECONDS = 15


def _browser_or_skip() -> None:
    if CHROMIUM and CHROMEDRIVER:
        return
    message = (
        "no browser for the page tests: install Chromium and its driver "
        "(apt-get install -y chromium chromium-driver)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI must run them")
    pytest.skip(message)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """A headless Chromium."""
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,860",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


@asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    """The running app on a real port of this loop; its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def screenshot(driver: Any, folder: Path, name: str) -> None:
    """Save what the browser shows, beside the test and where asked."""
    driver.save_screenshot(str(folder / name))
    wanted = os.environ.get("PLANTLINE_SCREENSHOT_DIR")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        shutil.copy(folder / name, Path(wanted) / name)


def until(driver: Any, condition: Callable[[Any], Any]) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_SECONDS).until(condition)


def sign_in(driver: Any, token: str) -> None:
    from selenium.webdriver.common.by import By

    until(driver, lambda d: d.find_element(By.ID, "sign-in").is_displayed())
    driver.find_element(By.ID, "sign-in-token").send_keys(token)
    driver.find_element(By.ID, "sign-in-button").click()
    until(driver, lambda d: not d.find_element(By.ID, "sign-in").is_displayed())


def on(driver: Any, css: str, action: Callable[[Any], Any]) -> Any:
    """Do something to what the selector finds, again if the list was refreshed under it."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    def done(d: Any) -> Any:
        try:
            return action(d.find_element(By.CSS_SELECTOR, css)) or True
        except StaleElementReferenceException:
            return False

    return until(driver, done)


def click(driver: Any, css: str) -> None:
    """Click what the selector finds."""
    on(driver, css, lambda element: element.click())


def card_of(driver: Any, css: str) -> tuple[str, str] | bool:
    """A task card's text and headline size, once it shows (False until then)."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By

    try:
        card = driver.find_element(By.CSS_SELECTOR, css)
        headline = card.find_element(By.CSS_SELECTOR, ".headline")
        return card.text, headline.value_of_css_property("font-size")
    except (NoSuchElementException, StaleElementReferenceException):
        return False


def notice(driver: Any, kind: str) -> str:
    """The text of the notice once it shows a message of that kind."""
    from selenium.webdriver.common.by import By

    def shown(d: Any) -> str | bool:
        element = d.find_element(By.ID, "notice")
        classes = (element.get_attribute("class") or "").split()
        return element.text if element.is_displayed() and kind in classes else False

    return str(until(driver, shown))


SCHEDULE = ScheduleForTest(
    schedule_id="S-browser",
    version=1,
    operations=[
        operation(
            "3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f",
            10,
            "CUT",
            "2026-12-01T08:00:00+00:00",
            "2026-12-01T09:30:00+00:00",
            "24",
        ),
        operation(
            "8d1e2f3a-4b5c-4d6e-8f9a-0b1c2d3e4f5a",
            20,
            "CUT",
            "2026-12-01T09:30:00+00:00",
            "2026-12-01T11:00:00+00:00",
            "12",
        ),
    ],
)


def drive_station(driver: Any, base: str, token: str, first: str, second: str, out: Path) -> None:
    """Sign in, start a task by clicking, see it running, and see a refused start in words."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(f"{base}/stations/CUT")
    sign_in(driver, token)
    until(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr.task")) == 2)
    assert "Nothing is running" in driver.find_element(By.ID, "dispatch").text

    click(driver, f'tr[data-task="{first}"] [data-action="start"]')
    text, size = until(driver, lambda d: card_of(d, f'.card.running[data-task="{first}"]'))
    assert "RUNNING" in text and "BIKE × 24" in text
    assert "Started" in notice(driver, "ok")
    assert float(size.removesuffix("px")) >= 30  # the running task reads from afar

    # The work center has one unit: a second start is refused, and the page says why.
    click(driver, f'tr[data-task="{second}"] [data-action="start"]')
    refused = notice(driver, "error")
    assert "Conflict with current state" in refused
    assert "complete or pause one first" in refused

    running = f'.card.running[data-task="{first}"]'
    chosen = f"{running} [name=reason]"
    on(driver, chosen, lambda element: Select(element).select_by_value("material"))
    assert on(driver, chosen, lambda element: element.get_attribute("value")) == "material"
    # What the operator chose survives a refresh of the list.
    driver.execute_script(
        "window.refreshes = 0;"
        "document.addEventListener('htmx:afterSettle', () => { window.refreshes += 1; });"
        "document.activeElement.blur(); htmx.trigger('#dispatch', 'refresh');"
    )
    until(driver, lambda d: d.execute_script("return window.refreshes > 0"))
    assert on(driver, chosen, lambda element: element.get_attribute("value")) == "material"
    screenshot(driver, out, "station.png")
    click(driver, f'{running} [data-action="pause"]')
    text, _ = until(driver, lambda d: card_of(d, f'.card.paused[data-task="{first}"]'))
    assert "PAUSED" in text
    assert "Paused" in notice(driver, "ok")

    # Bad input is refused in words, and the task stays as it was.
    paused = f'.card.paused[data-task="{first}"]'
    on(driver, f"{paused} [name=good_quantity]", lambda element: element.send_keys("lots"))
    click(driver, f'{paused} [data-action="complete"]')
    invalid = notice(driver, "error")
    assert "Invalid input" in invalid and "good_quantity" in invalid
    until(driver, lambda d: card_of(d, paused))

    # What a task waits for reads as words, whatever shape the problem gives it.
    waits = driver.execute_script(
        "return Plantline.describe({type: 'urn:plantline:problem:task-not-ready',"
        " title: 'Task not ready', status: 409, detail: 'The previous operation is not done.',"
        " task_id: 't1', waiting_for: [{order_number: 'MO-1', sequence: 10, status: 'started'}]},"
        " 409)"
    )
    assert waits == (
        "Task not ready: The previous operation is not done. "
        "(waiting for: order number MO-1, sequence 10, status started)"
    )


async def test_an_operator_signs_in_starts_a_task_and_reads_a_refusal(
    sqlite_stack: Stack, browser: Any, tmp_path: Path
) -> None:
    (ops,) = await sqlite_stack.start("operations")
    await add_work_center(ops, "CUT", name="Cutting cell")
    await apply_directly(ops, SCHEDULE)
    await reserve_materials(ops, *(o["order_id"] for o in SCHEDULE.operations))
    first, second = await tasks_of(ops, "CUT")
    async with served(ops.app) as base:
        await asyncio.to_thread(
            drive_station,
            browser,
            base,
            sqlite_stack.token(["operations:read", "operations:write"]),
            first["id"],
            second["id"],
            tmp_path,
        )
    (paused,) = [t for t in await tasks_of(ops, "CUT") if t["id"] == first["id"]]
    assert paused["status"] == "paused"


def drive_gantt(
    driver: Any, signed: str, bare: str, token: str, numbers: list[str], out: Path
) -> None:
    """Open the signed link, see labelled bars and the downtime; then sign in on a bare link."""
    from selenium.webdriver.common.by import By

    driver.set_window_size(1600, 760)
    driver.get(signed)
    until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#gantt svg rect.bar"))
    screenshot(driver, out, "gantt.png")
    labels = [t.text for t in driver.find_elements(By.CSS_SELECTOR, "#gantt svg text.op")]
    for number in numbers:
        # Each order's two operations, labelled by its number (short bars drop the "op").
        assert f"{number} op 10" in labels
        assert len([label for label in labels if label.startswith(number)]) == 2
    assert "BIKE × 10" in [t.text for t in driver.find_elements(By.CSS_SELECTOR, "svg text.what")]
    stop = driver.find_element(By.CSS_SELECTOR, "svg g.downtime text")
    assert "hydraulic" in stop.text
    assert not driver.find_element(By.ID, "sign-out").is_displayed()

    driver.get(bare)
    sign_in(driver, token)
    bars = until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#gantt svg rect.bar"))
    assert len(bars) == 2 * len(numbers)


async def test_the_gantt_page_shows_labelled_bars_from_its_link_and_after_sign_in(
    sqlite_stack: Stack, browser: Any, tmp_path: Path
) -> None:
    (production,) = await sqlite_stack.start("production")
    orders = await schedulable_orders(production)
    await seed_shop(production, PLANNED_MONDAY)
    created = await production.post(
        "/api/v1/schedules", json={"time_limit_seconds": 1, "start": PLANNED_MONDAY.isoformat()}
    )
    assert created.status_code == 201, created.text
    link = urlsplit(created.json()["gantt_url"])
    async with served(production.app) as base:
        await asyncio.to_thread(
            drive_gantt,
            browser,
            f"{base}{link.path}?{link.query}",
            f"{base}{link.path}",
            sqlite_stack.token(["production:read"]),
            [order["number"] for order in orders],
            tmp_path,
        )
