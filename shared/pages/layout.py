"""The base layout of every page: header, sign-in panel, notice line, and the shared assets."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from shared.pages.assets import asset_url

SIGN_IN = """
<section id="sign-in" class="sign-in" hidden>
  <form id="sign-in-form">
    <label for="sign-in-token">Sign in: paste a token (<code>make token</code> prints one).
      It stays in this browser tab only.</label>
    <textarea id="sign-in-token" name="token" rows="3" required autocomplete="off"
      spellcheck="false" placeholder="eyJhbGciOi..."></textarea>
    <button type="submit" id="sign-in-button">Sign in</button>
  </form>
</section>"""


def render_page(
    title: str,
    body: str,
    *,
    scripts: Sequence[str] = (),
    styles: Sequence[str] = (),
    needs_sign_in: bool = True,
    notice: str = "",
) -> str:
    """A whole HTML document around an already-escaped body.

    `scripts` and `styles` are asset names loaded after the shared ones; `needs_sign_in` shows
    the sign-in panel until the tab holds a token; `notice` is a message shown from the start.
    """
    loaded = ["htmx.min.js", "pages.js", *scripts]
    tags = "\n".join(
        [f'<link rel="stylesheet" href="{asset_url(name)}">' for name in ("pages.css", *styles)]
        + [f'<script src="{asset_url(name)}" defer></script>' for name in loaded]
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
{tags}
</head>
<body data-needs-sign-in="{"true" if needs_sign_in else "false"}">
<header class="top">
  <h1>{escape(title)}</h1>
  <span id="signed-in-as" class="who"></span>
  <button id="sign-out" type="button" class="quiet" hidden>Sign out</button>
</header>
{SIGN_IN if needs_sign_in else ""}
<div id="notice" class="notice info" role="alert"{"" if notice else " hidden"}>{escape(notice)}</div>
<main id="content">
{body}
</main>
</body>
</html>
"""
