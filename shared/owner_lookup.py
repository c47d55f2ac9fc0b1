"""Asking a record's owner over HTTP when this service's view has not heard of it yet.

A view kept from events lags its owner: an integrator who creates an item in inventory and at
once posts a BOM to production would otherwise be told the item is unknown until the event
arrives. So a route that checks references against a view first learns the ones its view misses
from their owner, with no transaction open while it asks, and stores what it learned in the view;
its use case then checks the view as before. A record the owner does not have either stays
unknown (the use case's 422); an owner that cannot answer is a 503 saying what could not be
verified, never a false "unknown".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shared.dependencies import Transactions
from shared.errors import ServiceUnavailable
from shared.peers import PeerServices, peers_of

LEARNED_SEQUENCE = 0
"""The `source_sequence` of a view row learned from the owner rather than from an event: lower
than any event's, so every event of the record still applies over it (with the same values, or
newer ones), and the row is never stored twice."""

NOT_THERE = (404, 422)
"""The owner's answers that it has no such record: not found, or no record could have that key."""

SeenT = TypeVar("SeenT", bound=BaseModel)


class ReferenceUnverified(ServiceUnavailable):
    """A referenced record is not in this service's view and its owner could not be asked."""

    slug, title = "reference-unverified", "Reference could not be verified"


@dataclass(frozen=True)
class OwnedRecords(Generic[SeenT]):
    """Records another service owns and this one keeps a view of, and how to ask for one."""

    noun: str
    """How a problem names a key, e.g. `sku` or `work center`."""
    owner: str
    """The owning service, e.g. `inventory`."""
    path: str
    """The owner's route for one record, with `{key}`, e.g. `/api/v1/items/{key}`."""
    scopes: str
    """The scopes the call needs, e.g. `inventory:read`."""
    key: InstrumentedAttribute[str]
    """The view's key column, e.g. `KnownItem.sku`."""
    seen: type[SeenT]
    """What this service reads of the owner's answer (the same model its events are read as)."""
    keep: Callable[[AsyncSession, SeenT, int], Awaitable[object]]
    """Stores a record in the view unless the view holds a later state (the event handler's
    upsert, given `LEARNED_SEQUENCE`)."""


async def missing_from_view(
    session: AsyncSession, records: OwnedRecords[Any], keys: Iterable[str]
) -> list[str]:
    """The keys the view has no row for, sorted."""
    wanted = set(keys)
    if not wanted:
        return []
    found = await session.execute(select(records.key).where(records.key.in_(wanted)))
    return sorted(wanted - set(found.scalars()))


def unverified(records: OwnedRecords[Any], keys: list[str], reason: str) -> ReferenceUnverified:
    """The 503 problem naming what could not be verified, with whom, and why."""
    named = ", ".join(f"'{key}'" for key in keys)
    noun = records.noun if len(keys) == 1 else f"{records.noun}s"
    return ReferenceUnverified(
        f"Could not verify {noun} {named} with {records.owner}: {reason}.",
        owner=records.owner,
        unverified=keys,
    )


async def ask_owner(
    peers: PeerServices, records: OwnedRecords[SeenT], keys: list[str]
) -> list[SeenT]:
    """The records the owner has of these keys (one GET each); those it has not are left out.

    ReferenceUnverified if the owner cannot be reached, fails (5xx) or answers anything else
    (e.g. 401 or 403 to a misconfigured service token): never taken as "no such record".
    """
    found: list[SeenT] = []
    try:
        async with peers.client(records.owner, records.scopes) as client:
            for key in keys:
                response = await client.get(records.path.format(key=quote(key, safe="")))
                if response.status_code in NOT_THERE:
                    continue
                if response.status_code != 200:
                    raise unverified(
                        records, keys, f"{records.owner} answered HTTP {response.status_code}"
                    )
                try:
                    found.append(records.seen.model_validate(response.json()))
                except ValueError as exc:  # not JSON, or not a record (ValidationError)
                    raise unverified(
                        records, keys, f"{records.owner} answered with an unreadable record"
                    ) from exc
    except httpx.HTTPError as exc:
        raise unverified(records, keys, f"{records.owner} is unreachable") from exc
    return found


async def learn_missing(tx: Transactions, records: OwnedRecords[Any], keys: Iterable[str]) -> None:
    """Bring into the view the referenced records it misses, from their owner.

    Reads the view in a snapshot, asks the owner with no transaction open, and stores what it
    answered in a short transaction of its own; the keys the owner does not have either stay
    unknown for the use case to refuse. ReferenceUnverified (503) if the owner cannot answer.
    """
    async with tx.read() as session:
        missing = await missing_from_view(session, records, keys)
    if not missing:
        return
    found = await ask_owner(peers_of(tx.request.app), records, missing)
    if found:
        async with tx.write() as session:
            for record in found:
                await records.keep(session, record, LEARNED_SEQUENCE)
