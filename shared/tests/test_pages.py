"""The pages' shared mechanics: assets from installed packages, and signed links."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from shared.errors import install_problem_handlers
from shared.pages.assets import assets_router
from shared.pages.layout import render_page
from shared.pages.links import LINK_TTL_SECONDS, link_is_valid, signed_query

SECRET = "a-secret-of-at-least-thirty-two-bytes!!"
NOW = 1_800_000_000


def fields(query: str) -> tuple[int, str]:
    parts = dict(part.split("=") for part in query.split("&"))
    return int(parts["expires"]), parts["signature"]


def test_a_signed_link_opens_its_path_until_it_expires_and_no_other() -> None:
    expires, signature = fields(signed_query(SECRET, "/schedules/s1/gantt", now=NOW))
    assert NOW + LINK_TTL_SECONDS <= expires < NOW + LINK_TTL_SECONDS + 300
    assert link_is_valid(SECRET, "/schedules/s1/gantt", expires, signature, now=NOW)
    assert link_is_valid(SECRET, "/schedules/s1/gantt", expires, signature, now=expires)
    assert not link_is_valid(SECRET, "/schedules/s1/gantt", expires, signature, now=expires + 1)
    assert not link_is_valid(SECRET, "/schedules/s2/gantt", expires, signature, now=NOW)
    assert not link_is_valid(SECRET, "/schedules/s1/gantt", expires + 60, signature, now=NOW)
    assert not link_is_valid("another" + SECRET, "/schedules/s1/gantt", expires, signature, now=NOW)
    assert not link_is_valid(SECRET, "/schedules/s1/gantt", None, None, now=NOW)


async def test_htmx_and_the_page_script_are_served_from_packages_and_unknown_names_are_404() -> (
    None
):
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(assets_router())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://pages.test") as client:
        htmx = await client.get("/pages/assets/htmx.min.js")
        assert htmx.status_code == 200
        assert htmx.headers["content-type"].startswith("text/javascript")
        assert "htmx" in htmx.text[:200] and len(htmx.content) > 10_000
        script = await client.get("/pages/assets/pages.js")
        assert "sessionStorage" in script.text
        assert (await client.get("/pages/assets/pages.css")).status_code == 200
        missing = await client.get("/pages/assets/../../settings.py")
        assert missing.status_code == 404
        unknown = await client.get("/pages/assets/jquery.js")
        assert unknown.status_code == 404
        assert unknown.headers["content-type"] == "application/problem+json"


def test_the_layout_loads_only_local_assets_and_escapes_the_title() -> None:
    page = render_page("Station <A&B>", "<p>body</p>", scripts=("station.js",))
    assert "<title>Station &lt;A&amp;B&gt;</title>" in page
    assert 'src="/pages/assets/htmx.min.js"' in page and 'src="/pages/assets/station.js"' in page
    assert "http://" not in page and "https://" not in page
    assert 'id="sign-in"' in page
