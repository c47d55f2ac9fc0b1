"""Released orders short of components wait here; a receipt of one of them retries them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.inventory.domain.stock import ZERO, total_available
from services.inventory.manufacturing.models import WaitingReservation
from services.inventory.reservations.schemas import ReservationCreate, ReservationLineIn
from services.inventory.reservations.service import Rejection, reserve
from services.inventory.stock.service import free, levels_of, lock_skus
from shared.db import utcnow


class ComponentLine(Protocol):
    """A component and how much of it an order needs."""

    @property
    def sku(self) -> str: ...
    @property
    def quantity(self) -> Decimal: ...


async def wait_for_components(
    session: AsyncSession,
    reference: str,
    due_date: date | None,
    warehouse: str | None,
    components: Sequence[ComponentLine],
) -> None:
    """Remember a rejected order's components (the latest ask replaces an earlier one)."""
    waiting = await session.get(WaitingReservation, reference, with_for_update=True)
    if waiting is None:
        waiting = WaitingReservation(reference=reference, created_at=utcnow())
        session.add(waiting)
    waiting.due_date = due_date
    waiting.warehouse = warehouse
    waiting.components = [{"sku": c.sku, "quantity": str(c.quantity)} for c in components]
    await session.flush()


async def stop_waiting(session: AsyncSession, reference: str) -> None:
    """The order was reserved, cancelled or completed: no receipt retries it any more."""
    await session.execute(
        delete(WaitingReservation).where(WaitingReservation.reference == reference)
    )


async def _covered(session: AsyncSession, waiting: WaitingReservation) -> bool:
    for line in waiting.components:
        levels = free(await levels_of(session, line["sku"], waiting.warehouse))
        if total_available(levels) < Decimal(line["quantity"]):
            return False
    return True


async def retry_waiting(session: AsyncSession, received: Iterable[str]) -> list[str]:
    """Reserve, oldest due first, the waiting orders that a receipt of these skus now covers in
    full; each confirmation is announced as usual. Returns the references reserved."""
    skus = set(received)
    if not skus:
        return []
    rows = await session.execute(
        select(WaitingReservation).order_by(
            WaitingReservation.due_date.is_(None),
            WaitingReservation.due_date,
            WaitingReservation.created_at,
            WaitingReservation.reference,
        )
    )
    candidates = [w for w in rows.scalars() if skus & {c["sku"] for c in w.components}]
    if not candidates:
        return []
    await lock_skus(session, {c["sku"] for w in candidates for c in w.components})
    reserved = []
    for waiting in candidates:
        # Checked first, so an order still short stays waiting without a second rejection.
        if not await _covered(session, waiting):
            continue
        lines = [
            ReservationLineIn(
                sku=c["sku"], quantity=Decimal(c["quantity"]), warehouse=waiting.warehouse
            )
            for c in waiting.components
            if Decimal(c["quantity"]) > ZERO
        ]
        answer = await reserve(
            session, ReservationCreate.model_construct(reference=waiting.reference, lines=lines)
        )
        if isinstance(answer, Rejection):
            continue
        await session.delete(waiting)
        reserved.append(waiting.reference)
    await session.flush()
    return reserved
