"""HTTP routes of the plant's loss reasons."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from services.operations.losses import service
from services.operations.losses.schemas import LossReasonCreate, LossReasonRead, LossReasonUpdate
from shared.auth import require_scope
from shared.concurrency import set_etag
from shared.dependencies import ReadSessionDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["tasks"])
READ = [require_scope("operations:read")]
WRITE = [require_scope("operations:write")]


@router.get("/loss-reasons", dependencies=READ, response_model=list[LossReasonRead])
async def list_loss_reasons(
    session: ReadSessionDep,
    retired: Annotated[bool, Query(description="Also the retired ones.")] = False,
) -> list[LossReasonRead]:
    """The plant's loss reasons: a pause must give one in use; OEE splits availability losses by
    them. A new plant starts with breakdown, material, setup, quality, break and other."""
    reasons = await service.list_loss_reasons(session, retired=retired)
    return [LossReasonRead.model_validate(reason) for reason in reasons]


@router.post(
    "/loss-reasons",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    response_model=LossReasonRead,
)
async def create_loss_reason(
    data: LossReasonCreate, session: SessionDep, response: Response
) -> LossReasonRead:
    """Add a loss reason to the plant's list; 409 if the code exists."""
    reason = await service.create_loss_reason(session, data)
    response.headers["Location"] = f"/api/v1/loss-reasons/{reason.code}"
    set_etag(response, reason.version)
    return LossReasonRead.model_validate(reason)


@router.get("/loss-reasons/{code}", dependencies=READ, response_model=LossReasonRead)
async def get_loss_reason(code: str, session: ReadSessionDep, response: Response) -> LossReasonRead:
    """One loss reason; its ETag is the version to send back in If-Match."""
    reason = await service.get_loss_reason(session, code)
    set_etag(response, reason.version)
    return LossReasonRead.model_validate(reason)


@router.patch("/loss-reasons/{code}", dependencies=WRITE, response_model=LossReasonRead)
async def update_loss_reason(
    code: str,
    data: LossReasonUpdate,
    session: SessionDep,
    response: Response,
    if_match: Annotated[str | None, Header(description="The ETag you read (required).")] = None,
) -> LossReasonRead:
    """Rename, describe, retire (`active: false`) or bring back a loss reason; 412 if it changed
    since you read it, 428 without If-Match. Past pauses keep a retired reason."""
    reason = await service.update_loss_reason(session, code, data, if_match)
    set_etag(response, reason.version)
    return LossReasonRead.model_validate(reason)
