"""HTTP route of the loss reasons."""

from __future__ import annotations

from fastapi import APIRouter

from services.operations.domain.loss_reasons import LOSS_REASONS
from services.operations.losses.schemas import LossReasonRead
from shared.auth import require_scope

router = APIRouter(prefix="/api/v1", tags=["tasks"])
READ = [require_scope("operations:read")]


@router.get("/loss-reasons", dependencies=READ, response_model=list[LossReasonRead])
async def loss_reasons() -> list[LossReasonRead]:
    """The plant's loss reasons: a pause must give one; OEE splits availability losses by them."""
    return [LossReasonRead.model_validate(reason) for reason in LOSS_REASONS]
