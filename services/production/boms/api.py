"""HTTP routes of bills of materials."""

from __future__ import annotations

from fastapi import APIRouter, status

from services.production.boms import service
from services.production.boms.schemas import BomCreate, BomRead
from shared.auth import require_scope
from shared.dependencies import SessionDep

router = APIRouter(prefix="/api/v1/boms", tags=["boms"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=[require_scope("production:write")]
)
async def create_bom(data: BomCreate, session: SessionDep) -> BomRead:
    """Publish a BOM; every sku must be an item inventory has announced (else 422 naming them)."""
    return BomRead.model_validate(await service.create_bom(session, data))


@router.get("/{bom_id}", dependencies=[require_scope("production:read")])
async def get_bom(bom_id: str, session: SessionDep) -> BomRead:
    """One BOM."""
    return BomRead.model_validate(await service.get_bom(session, bom_id))
