"""The HTML of a station: the page shell, and the dispatch fragment it refreshes.

Rows are the dispatch list's task documents (`TaskRead` as JSON). Fields a row may or may not
carry (order number, due date, priority, readiness, reported quantities, pause reason) are shown
when present, so the page follows the API as it grows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from shared.pages.layout import render_page

REFRESH_SECONDS = 5

Task = Mapping[str, Any]


def station_page(code: str) -> str:
    """The shell of a station's page; the dispatch list loads into it once signed in."""
    path = f"/stations/{quote(code, safe='')}/dispatch"
    body = f"""
<div id="station" data-code="{escape(code)}">
  <div id="dispatch" class="dispatch" hx-get="{escape(path)}"
       hx-trigger="load, every {REFRESH_SECONDS}s, refresh" hx-swap="innerHTML">
    <p class="muted">Sign in to see this work center's tasks.</p>
  </div>
</div>"""
    return render_page(f"Station {code}", body, scripts=("station.js",), styles=("station.css",))


def _when(value: str | None, zone: ZoneInfo) -> str:
    if not value:
        return ""
    instant = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(zone)
    return f"{instant:%a %Y-%m-%d %H:%M}"


def _quantity(value: Any) -> str:
    return "" if value is None else escape(str(value))


SHORT_ID = 8
"""How much of an order id names it on the page when the list gives no order number."""


def _order(task: Task) -> str:
    number = task.get("order_number")
    if number:
        return escape(str(number))
    order_id = str(task["order_id"])
    return escape(order_id if len(order_id) <= SHORT_ID + 1 else f"order {order_id[:SHORT_ID]}…")


def _facts(task: Task, zone: ZoneInfo) -> list[str]:
    """The optional facts of a row, each already escaped."""
    facts = []
    if task.get("due_date"):
        facts.append(f"due {escape(str(task['due_date']))}")
    if task.get("priority") is not None:
        facts.append(f"priority {escape(str(task['priority']))}")
    for reported in ("reported_good", "reported_scrap"):
        if task.get(reported) not in (None, "0"):
            facts.append(f"{reported.split('_')[1]} so far {_quantity(task[reported])}")
    if task.get("pause_reason"):
        facts.append(f"paused for {escape(str(task['pause_reason']))}")
    if task.get("paused_at") and task.get("status") == "paused":
        facts.append(f"since {_when(task['paused_at'], zone)}")
    return facts


def _readiness(task: Task) -> str:
    """Whether a planned task can start, when the list says."""
    readiness = task.get("readiness")
    if readiness == "waiting" and task.get("waiting_for"):
        return "waiting for " + escape("; ".join(_wait(w) for w in task["waiting_for"]))
    if isinstance(readiness, str):
        return escape(readiness.replace("_", " "))
    if isinstance(readiness, Mapping):
        waits = readiness.get("waiting_for") or readiness.get("waits_for")
        if waits:
            return "waiting for " + escape(_words(waits))
        if "ready" in readiness:
            return "ready" if readiness["ready"] else "not ready"
    if "ready" in task:
        if task["ready"]:
            return "ready"
        waits = task.get("waiting_for") or task.get("waits_for")
        return "waiting for " + escape(_words(waits)) if waits else "not ready"
    return ""


def _wait(wait: Mapping[str, Any]) -> str:
    """One thing a task waits for, as an operator reads it."""
    if wait.get("kind") == "previous_operation":
        done = f" ({wait.get('reported')} of {wait.get('needed')})"
        return f"op {wait.get('sequence')} at {wait.get('work_center')}{done}"
    if wait.get("kind") == "materials":
        return f"materials ({wait.get('materials_status') or 'not reserved'})"
    return _words(wait)


def _words(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_words(v) for v in value)
    if isinstance(value, Mapping):
        return " ".join(str(v) for v in value.values() if v is not None)
    return str(value)


def _quantities_form(task: Task, *, report: bool) -> str:
    reported = (
        '<label>Scrap reason <input name="scrap_reason" maxlength="200" '
        'placeholder="optional"></label>'
        '<button type="button" data-action="report">Report</button>'
        if report
        else ""
    )
    return f"""
  <div class="controls quantities">
    <label>Good <input name="good_quantity" inputmode="decimal" size="7"
      placeholder="{_quantity(task.get("quantity"))}"></label>
    <label>Scrap <input name="scrap_quantity" inputmode="decimal" size="5" value="0"></label>
    {reported}
    <button type="button" class="go" data-action="complete">Complete</button>
  </div>"""


def _pause_form(reasons: Sequence[tuple[str, str]]) -> str:
    options = "".join(
        f'<option value="{escape(code)}">{escape(name)}</option>' for code, name in reasons
    )
    return f"""
  <div class="controls pause">
    <label>Reason <select name="reason">{options}</select></label>
    <button type="button" class="secondary" data-action="pause">Pause</button>
  </div>"""


def _card(task: Task, zone: ZoneInfo, reasons: Sequence[tuple[str, str]]) -> str:
    running = task["status"] == "started"
    when = (
        f"started {_when(task.get('started_at'), zone)}"
        f" · planned end {_when(task['planned_end'], zone)}"
    )
    facts = " · ".join([when, *_facts(task, zone)])
    resume = (
        ""
        if running
        else '<div class="controls"><button type="button" class="go" '
        'data-action="resume">Resume</button></div>'
    )
    return f"""
<article class="task card {"running" if running else "paused"}" data-task="{escape(task["id"])}"
  data-label="{_order(task)} op {task["sequence"]}">
  <div class="state">{"RUNNING" if running else "PAUSED"}</div>
  <div class="headline"><span class="order" title="{escape(str(task["order_id"]))}">{_order(task)}</span>
    <span class="op">op {task["sequence"]}</span></div>
  <div class="what">{escape(str(task["product_sku"]))} × {_quantity(task["quantity"])}</div>
  <div class="facts">{facts}</div>
  {_quantities_form(task, report=running)}
  {_pause_form(reasons) if running else resume}
</article>"""


def _row(task: Task, zone: ZoneInfo) -> str:
    facts = " · ".join(_facts(task, zone))
    return f"""
<tr class="task" data-task="{escape(task["id"])}" data-label="{_order(task)} op {task["sequence"]}">
  <td><strong title="{escape(str(task["order_id"]))}">{_order(task)}</strong> <span class="muted">op {task["sequence"]}</span></td>
  <td>{escape(str(task["product_sku"]))}</td>
  <td>{_quantity(task["quantity"])}</td>
  <td>{_when(task["planned_start"], zone)}</td>
  <td>{_when(task["planned_end"], zone)}</td>
  <td>{facts}</td>
  <td>{_readiness(task)}</td>
  <td><button type="button" data-action="start">Start</button></td>
</tr>"""


def dispatch_fragment(
    code: str,
    name: str,
    timezone: str,
    tasks: Sequence[Task],
    total: int,
    reasons: Sequence[tuple[str, str]],
) -> str:
    """The running and paused tasks as large cards, then the queue of planned ones; a pause
    offers the plant's loss reasons in use (code, name)."""
    zone = ZoneInfo(timezone)
    current = [t for t in tasks if t["status"] in ("started", "paused")]
    current.sort(key=lambda t: t["status"] != "started")
    planned = [t for t in tasks if t["status"] == "planned"]
    cards = "".join(_card(t, zone, reasons) for t in current) or (
        '<p class="idle">Nothing is running. Start the next task below.</p>'
    )
    rows = "".join(_row(t, zone) for t in planned)
    queue = (
        f"""<table class="queue"><thead><tr><th>Order</th><th>Product</th><th>Quantity</th>
<th>Planned start</th><th>Planned end</th><th></th><th>Readiness</th><th></th></tr></thead>
<tbody>{rows}</tbody></table>"""
        if planned
        else '<p class="muted">No planned tasks.</p>'
    )
    more = (
        f'<p class="muted">Showing {len(tasks)} of {total} tasks.</p>' if total > len(tasks) else ""
    )
    return f"""
<p class="station-name">{escape(code)} · {escape(name)}
  <span class="muted">(times in {escape(timezone)}; refreshes every {REFRESH_SECONDS} s)</span></p>
<section class="current"><h2>Now</h2>{cards}</section>
<section class="next"><h2>Next up</h2>{queue}{more}</section>"""
