"""Do the views services keep of each other's records match the owners' records?

Each `View` names the table a service keeps from another's events and how to read the owner's
records over its HTTP API. Adding a view is one line in `VIEWS`. `discrepancies` lists every
difference; `assert_consistent` waits until there is none (views converge asynchronously).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import Column, MetaData, Table, select, text

from shared.db import Amount, Database

OwnerRecords = Callable[[httpx.AsyncClient], Awaitable[dict[str, dict[str, Any]] | None]]
"""Reads an owner's records keyed like the view, or None when the owner has no such API yet."""


async def paged(client: httpx.AsyncClient, path: str, key: str) -> dict[str, dict[str, Any]] | None:
    """Every record of a paginated list, keyed by `key`; None if the route does not exist."""
    records: dict[str, dict[str, Any]] = {}
    offset: int | None = 0
    while offset is not None:
        response = await client.get(path, params={"limit": 500, "offset": offset})
        if response.status_code in (404, 405):
            return None
        response.raise_for_status()
        body = response.json()
        rows = body["items"] if isinstance(body, dict) else body
        for row in rows:
            records[str(row[key])] = row
        offset = body.get("next_offset") if isinstance(body, dict) else None
    return records


async def inventory_items(client: httpx.AsyncClient) -> dict[str, dict[str, Any]] | None:
    """Inventory's item master."""
    return await paged(client, "/api/v1/items", "sku")


async def inventory_stock(client: httpx.AsyncClient) -> dict[str, dict[str, Any]] | None:
    """Inventory's stock totals per sku."""
    return await paged(client, "/api/v1/stock", "sku")


async def operations_work_centers(client: httpx.AsyncClient) -> dict[str, dict[str, Any]] | None:
    """Operations' work centers."""
    return await paged(client, "/api/v1/work-centers", "code")


ITEM_DECIMALS = ("standard_cost", "safety_stock", "reorder_point", "reorder_quantity")
ITEM_FIELDS = ("name", "uom", "kind", "lead_time_days", "lot_tracked", *ITEM_DECIMALS)
STOCK_DECIMALS = ("on_hand", "reserved", "available")


@dataclass(frozen=True)
class View:
    """A table `holder` keeps of records `owner` writes."""

    holder: str
    table: str
    owner: str
    records: OwnerRecords
    fields: tuple[str, ...]
    decimals: tuple[str, ...] = ()
    key: str = "sku"
    complete: bool = True
    """Every owner record must be in the view (False: the view only holds what changed)."""
    version: str | None = None
    """Owner field the view's source_sequence must equal (the last event applied)."""

    @property
    def name(self) -> str:
        """How a difference names the view."""
        return f"{self.holder}.{self.table}"


VIEWS: tuple[View, ...] = (
    View(
        "production",
        "known_items",
        "inventory",
        inventory_items,
        ITEM_FIELDS,
        ITEM_DECIMALS,
        version="version",
    ),
    View(
        "logistics",
        "known_items",
        "inventory",
        inventory_items,
        ITEM_FIELDS,
        ITEM_DECIMALS,
        version="version",
    ),
    View(
        "logistics",
        "known_stock",
        "inventory",
        inventory_stock,
        STOCK_DECIMALS,
        STOCK_DECIMALS,
        complete=False,
    ),
    View(
        "production",
        "known_work_centers",
        "operations",
        operations_work_centers,
        ("name", "department", "capacity", "cost_per_hour", "version"),
        ("cost_per_hour",),
        key="code",
    ),
)


async def _view_rows(view: View, database: Database) -> dict[str, dict[str, Any]]:
    columns: list[Column[Any]] = [Column(view.key)]
    columns += [Column(f, Amount()) if f in view.decimals else Column(f) for f in view.fields]
    if view.version:
        columns.append(Column("source_sequence"))
    table = Table(view.table, MetaData(), *columns)
    async with database.transaction() as session:
        rows = (await session.execute(select(table))).mappings().all()
    return {str(row[view.key]): dict(row) for row in rows}


def _same(view: View, field: str, owner_value: Any, view_value: Any) -> bool:
    if field in view.decimals:
        if owner_value is None or view_value is None:
            return owner_value is view_value
        return Decimal(str(owner_value)) == Decimal(str(view_value))
    if isinstance(owner_value, bool):
        return owner_value == bool(view_value)
    return bool(owner_value == view_value)


async def check_view(view: View, database: Database, owner: httpx.AsyncClient) -> list[str] | None:
    """Differences between one view and its owner's records; None if the owner has no such API."""
    records = await view.records(owner)
    if records is None:
        return None
    rows = await _view_rows(view, database)
    problems = []
    for key, row in sorted(rows.items()):
        record = records.get(key)
        if record is None:
            problems.append(f"{view.name}: {key} is not among {view.owner}'s records")
            continue
        for field in view.fields:
            if not _same(view, field, record.get(field), row[field]):
                problems.append(
                    f"{view.name}: {key}.{field} is {row[field]!r}, {view.owner} has {record.get(field)!r}"
                )
        if view.version and row["source_sequence"] != record[view.version]:
            problems.append(
                f"{view.name}: {key} reflects event {row['source_sequence']}, "
                f"{view.owner} is at version {record[view.version]}"
            )
    if view.complete:
        for key in sorted(set(records) - set(rows)):
            problems.append(f"{view.name}: {key} of {view.owner} is missing")
    return problems


async def discrepancies(
    databases: Mapping[str, Database],
    owners: Mapping[str, httpx.AsyncClient],
    views: Iterable[View] = VIEWS,
) -> list[str]:
    """Every difference between the views held in `databases` and the records of `owners`.

    A view is checked when its holder's database and its owner's client are both given.
    """
    problems: list[str] = []
    for view in views:
        if view.holder in databases and view.owner in owners:
            found = await check_view(view, databases[view.holder], owners[view.owner])
            problems += found or []
    return problems


async def assert_consistent(
    databases: Mapping[str, Database],
    owners: Mapping[str, httpx.AsyncClient],
    views: Iterable[View] = VIEWS,
    timeout: float = 30.0,
) -> None:
    """Wait until every view matches its owner; fail listing the differences left."""
    chosen = list(views)
    deadline = time.monotonic() + timeout
    while True:
        problems = await discrepancies(databases, owners, chosen)
        if not problems:
            return
        if time.monotonic() > deadline:
            shown = "\n".join(problems[:30])
            raise AssertionError(f"{len(problems)} differences after {timeout}s:\n{shown}")
        await asyncio.sleep(0.2)


def stack_databases(clients: Iterable[Any]) -> dict[str, Database]:
    """The databases of services running in-process (ServiceClients)."""
    return {client.name: client.app.state.database for client in clients}


async def _ids(database: Database, query: str, types: Iterable[str]) -> set[str]:
    chosen = list(types)
    async with database.transaction() as session:
        rows = await session.execute(text(query))
        return {row[0] for row in rows if row[1] in chosen}


async def unapplied(producer: Database, consumer: Database, event_types: Iterable[str]) -> set[str]:
    """Ids of events the producer recorded that the consumer's inbox has not applied yet.

    The inbox's key is the event id, so an id is applied at most once; this finds the lost ones.
    """
    chosen = list(event_types)
    produced = await _ids(producer, "SELECT event_id, event_type FROM outbox", chosen)
    applied = await _ids(consumer, "SELECT event_id, event_type FROM inbox", chosen)
    return produced - applied


async def assert_applied_once(
    producer: Database, consumer: Database, event_types: Iterable[str], timeout: float = 30.0
) -> None:
    """Wait until the consumer has applied every event of these types the producer recorded."""
    chosen = list(event_types)
    deadline = time.monotonic() + timeout
    while missing := await unapplied(producer, consumer, chosen):
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(missing)} events never applied, e.g. {sorted(missing)[:5]}")
        await asyncio.sleep(0.2)
