"""The Gantt chart says what people need: orders by number, shifts, downtime, due dates, now."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from services.production.catalog.models import KnownDowntime, KnownWorkCenter
from services.production.domain.scheduling.plan import OrderToPlan, RoutingStep
from services.production.schedules.gantt import Bar, Stoppage, gantt_svg
from services.production.schedules.sources import order_source
from services.production.tests.catalog_seed import seed_items
from services.production.tests.test_schedules import next_monday
from shared.db import new_id
from shared.testing.stack import ServiceClient, Stack

SVG = "{http://www.w3.org/2000/svg}"
MONDAY = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
"""The week the drawing tests draw (any week will do: nothing is planned)."""
PLANNED_MONDAY = next_monday()
"""The week the schedule tests plan: a schedule never plans into the past."""
DAY_SHIFT = {
    "timezone": "UTC",
    "shifts": [{"weekday": d, "start": "06:00", "end": "14:00"} for d in range(5)],
    "holidays": [],
    "exceptions": [],
}


def texts(svg: str) -> list[str]:
    """Every text drawn, in document order."""
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def by_class(svg: str, tag: str, css: str) -> list[ET.Element]:
    """The elements of a tag whose class list holds a class."""
    return [e for e in ET.fromstring(svg).iter(f"{SVG}{tag}") if css in e.get("class", "").split()]


def lines_of(element: ET.Element) -> str:
    """The lines of the text drawn in an element, joined by spaces."""
    return " ".join(span.text or "" for span in element.iter(f"{SVG}tspan"))


def at(hours: float) -> datetime:
    return MONDAY + timedelta(hours=hours)


def chart(**kwargs: Any) -> str:
    bars = [
        Bar(
            "SAW", "a1b2c3d4-0000", 10, at(0), at(3), "MO-A1B2C3D4", "SHAFT", Decimal("12"), at(20)
        ),
        Bar(
            "SAW", "e5f6a7b8-0000", 10, at(3), at(6), "MO-E5F6A7B8", "GEAR", Decimal("4.50"), at(5)
        ),
        Bar(
            "LATHE",
            "a1b2c3d4-0000",
            20,
            at(26),
            at(29),
            "MO-A1B2C3D4",
            "SHAFT",
            Decimal("12"),
            at(20),
        ),
    ]
    return gantt_svg(
        "Schedule v1",
        MONDAY,
        bars,
        working={"SAW": [(at(0), at(8)), (at(24), at(32))], "LATHE": [(at(24), at(32))]},
        stoppages=[Stoppage("SAW", at(8), at(10), "spindle bearing", "breakdown")],
        now=at(4),
        **kwargs,
    )


def test_bars_are_labelled_with_order_number_sku_and_quantity() -> None:
    drawn = texts(chart())
    assert "MO-A1B2C3D4 op 10" in drawn and "MO-A1B2C3D4 op 20" in drawn
    assert "SHAFT × 12" in drawn and "GEAR × 4.5" in drawn
    assert not any("a1b2c3d4/" in text for text in drawn)
    assert [bar.get("data-order") for bar in by_class(chart(), "rect", "bar")] == [
        "MO-A1B2C3D4",
        "MO-A1B2C3D4",
        "MO-E5F6A7B8",
    ]


def test_downtime_is_drawn_with_its_reason_over_its_work_center() -> None:
    svg = chart()
    (stop,) = by_class(svg, "g", "downtime")
    assert lines_of(stop) == "breakdown: spindle bearing"
    title = stop.find(f"{SVG}rect/{SVG}title")
    assert title is not None and title.text is not None
    assert "Downtime (breakdown) on SAW: spindle bearing" in title.text
    assert "2026-11-30 14:00 to 2026-11-30 16:00 UTC" in title.text


def test_the_axis_has_dates_with_the_year_and_hour_ticks() -> None:
    drawn = texts(chart())
    assert "Mon 2026-11-30" in drawn and "Tue 2026-12-01" in drawn
    hours = [t for t in drawn if len(t) == 2 and t.isdigit()]
    assert {"06", "12", "18"} <= set(hours)


def test_off_shift_time_is_shaded_and_now_is_marked() -> None:
    svg = chart()
    shaded = by_class(svg, "rect", "off-shift")
    # SAW works 06-14 on both days, LATHE only the second day: a gap each on SAW, and LATHE's
    # first day.
    assert len(shaded) == 2
    assert "now 10:00" in texts(svg)
    assert not by_class(gantt_svg("v", MONDAY, [], now=at(-5)), "g", "now")


def test_late_operations_are_marked_and_due_dates_drawn() -> None:
    svg = chart()
    late = by_class(svg, "rect", "late")
    assert [bar.get("data-order") for bar in late] == ["MO-A1B2C3D4", "MO-E5F6A7B8"]
    assert " late 1h" in texts(svg)
    dues = by_class(svg, "g", "due")
    assert sorted("".join(d.itertext()) for d in dues) == [
        "MO-A1B2C3D4 due 2026-12-01 02:00 UTC",
        "MO-E5F6A7B8 due 2026-11-30 11:00 UTC",
    ]


def test_the_legend_names_every_mark() -> None:
    legend = " ".join(texts(chart()))
    for words in ("late", "due date", "off shift", "downtime", "now"):
        assert words in legend


async def test_the_served_chart_names_orders_and_shows_known_downtime(stack: Stack) -> None:
    (production,) = await stack.start("production")
    first, second = await schedulable_orders(production)
    await seed_shop(production, PLANNED_MONDAY)

    created = await production.post(
        "/api/v1/schedules", json={"time_limit_seconds": 1, "start": PLANNED_MONDAY.isoformat()}
    )
    assert created.status_code == 201, created.text
    schedule = created.json()
    svg = (await production.get(f"/api/v1/schedules/{schedule['id']}/gantt.svg")).text

    drawn = texts(svg)
    assert f"{first['number']} op 10" in drawn and f"{second['number']} op 10" in drawn
    assert "BIKE × 10" in drawn
    (stop,) = by_class(svg, "g", "downtime")
    assert lines_of(stop) == "breakdown: hydraulic leak"
    assert by_class(svg, "rect", "off-shift")


async def test_the_gantt_url_opens_the_page_without_a_token_for_an_hour(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await schedulable_orders(production)
    await seed_shop(production, PLANNED_MONDAY)
    created = await production.post(
        "/api/v1/schedules", json={"time_limit_seconds": 1, "start": PLANNED_MONDAY.isoformat()}
    )
    url = urlsplit(created.json()["gantt_url"])
    assert url.path == f"/schedules/{created.json()['id']}/gantt"

    anonymous = {"Authorization": ""}
    page = await production.get(f"{url.path}?{url.query}", headers=anonymous)
    assert page.status_code == 200
    assert "<svg" in page.text and "hydraulic leak" in page.text

    forged = url.query[:-4] + ("0000" if not url.query.endswith("0000") else "1111")
    refused = await production.get(f"{url.path}?{forged}", headers=anonymous)
    assert refused.status_code == 200
    assert "<svg" not in refused.text and "expired or is not valid" in refused.text
    bare = await production.get(url.path, headers=anonymous)
    assert "<svg" not in bare.text and 'id="sign-in"' in bare.text


async def schedulable_orders(production: ServiceClient) -> list[dict[str, Any]]:
    """Two real orders (so they have numbers), planned through a source naming them."""
    await seed_items(production, "BIKE")
    made = []
    for due in ("2026-12-01", "2026-12-01"):
        response = await production.post(
            "/api/v1/orders", json={"product_sku": "BIKE", "quantity": "10", "due_date": due}
        )
        assert response.status_code == 201, response.text
        made.append(response.json())

    async def source(session: Any, ids: list[str] | None) -> list[OrderToPlan]:
        return [
            OrderToPlan(
                order["id"],
                "BIKE",
                Decimal(10),
                (RoutingStep(10, "SAW", 30, 150), RoutingStep(20, "PAINT", 15, 120)),
                due=datetime.fromisoformat(order["due_date"]).replace(tzinfo=UTC),
                weight=1,
            )
            for order in made
        ]

    production.app.dependency_overrides[order_source] = lambda: source
    return made


async def seed_shop(production: ServiceClient, week: datetime = MONDAY) -> None:
    """SAW on a day shift with a breakdown on Monday afternoon; PAINT on the default calendar."""
    async with production.app.state.database.transaction() as session:
        for code, calendar in (("SAW", DAY_SHIFT), ("PAINT", None)):
            session.add(
                KnownWorkCenter(
                    code=code,
                    name=code,
                    department=None,
                    capacity=1,
                    cost_per_hour=Decimal(40),
                    calendar=calendar,
                    version=1,
                    source_sequence=1,
                )
            )
        session.add(
            KnownDowntime(
                downtime_id=new_id(),
                work_center="SAW",
                start=week + timedelta(hours=4),
                end=week + timedelta(hours=6),
                kind="breakdown",
                reason="hydraulic leak",
                source_sequence=1,
            )
        )
