"""Use cases of the plant's loss reasons."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.losses.models import LossReason
from services.operations.losses.schemas import LossReasonCreate, LossReasonUpdate
from shared.concurrency import check_if_match
from shared.db import utcnow
from shared.errors import AlreadyExists, InvalidInput
from shared.queries import get_by_code, unknown_code_problem


async def list_loss_reasons(session: AsyncSession, *, retired: bool) -> list[LossReason]:
    """The plant's loss reasons by code; the retired ones too if asked."""
    query = select(LossReason).order_by(LossReason.code)
    if not retired:
        query = query.where(LossReason.active.is_(True))
    return list((await session.execute(query)).scalars())


async def create_loss_reason(session: AsyncSession, data: LossReasonCreate) -> LossReason:
    """Add a loss reason; 409 if the code exists (retired or not)."""
    if await session.get(LossReason, data.code) is not None:
        raise AlreadyExists(f"A loss reason '{data.code}' exists already.", code=data.code)
    now = utcnow()
    reason = LossReason(
        code=data.code,
        name=data.name,
        description=data.description,
        active=True,
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(reason)
    await session.flush()
    return reason


async def get_loss_reason(
    session: AsyncSession, code: str, *, for_update: bool = False
) -> LossReason:
    """A loss reason by code, or 404 suggesting the code that differs only in case."""
    return await get_by_code(session, LossReason, code, "loss reason", for_update=for_update)


async def update_loss_reason(
    session: AsyncSession, code: str, data: LossReasonUpdate, if_match: str | None
) -> LossReason:
    """Rename, describe, retire or bring back a loss reason, at the version the caller saw."""
    reason = await get_loss_reason(session, code, for_update=True)
    check_if_match(if_match, reason.version)
    for name, value in data.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(reason, name, value)
    reason.version += 1
    reason.updated_at = utcnow()
    await session.flush()
    return reason


async def require_active_reason(session: AsyncSession, code: str) -> None:
    """422 unless the code is one of the plant's loss reasons in use (a retired one is named)."""
    reason = await session.get(LossReason, code)
    if reason is not None and reason.active:
        return
    in_use = [r.code for r in await list_loss_reasons(session, retired=False)]
    choices = f"the plant's reasons in use are {', '.join(in_use)}."
    if reason is not None:
        raise InvalidInput(f"The loss reason '{code}' is retired; {choices}", reason=code)
    unknown = await unknown_code_problem(
        session, LossReason.code, code, "loss reason", InvalidInput, reason=code
    )
    unknown.detail = f"{unknown.detail} {choices[0].upper()}{choices[1:]}"
    raise unknown
