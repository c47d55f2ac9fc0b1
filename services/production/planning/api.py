"""HTTP routes of items' planning parameters."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from services.production.catalog.references import learn_items
from services.production.planning import service
from services.production.planning.schemas import PlanningParametersRead, PlanningParametersWrite
from shared.auth import require_scope
from shared.concurrency import set_etag
from shared.dependencies import Page, PageDep, ReadSessionDep, TransactionsDep

READ = [require_scope("production:read")]
WRITE = [require_scope("production:write")]

router = APIRouter(prefix="/api/v1/planning-parameters", tags=["planning"])


@router.put(
    "/{sku}",
    dependencies=WRITE,
    response_model=PlanningParametersRead,
    responses={201: {"description": "Created: the item had no planning parameters yet."}},
)
async def set_parameters(
    sku: str, data: PlanningParametersWrite, tx: TransactionsDep, response: Response
) -> PlanningParametersRead:
    """Set how MRP plans an item (replacing what was set): lot sizing, make or buy, lead time.

    201 the first time, 200 after. 422 for an unknown sku or fields that do not fit the lot-sizing
    rule (e.g. `fixed` without `fixed_quantity`); 503 if inventory cannot be asked about an item
    production has not heard of yet. The next MRP run uses them."""
    await learn_items(tx, [sku])
    async with tx.effect() as session:
        row, created = await service.set_parameters(session, sku, data)
        stored = PlanningParametersRead.model_validate(row)
    if created:
        response.status_code = status.HTTP_201_CREATED
    set_etag(response, row.version)
    response.headers["Location"] = f"/api/v1/planning-parameters/{row.sku}"
    return stored


@router.get("", dependencies=READ, response_model=Page[PlanningParametersRead])
async def list_parameters(session: ReadSessionDep, page: PageDep) -> Page[PlanningParametersRead]:
    """Items' planning parameters, by sku. Items without any are planned lot-for-lot, made if
    they have a BOM, with their lead time from inventory."""
    rows, total = await service.list_parameters(session, page)
    return Page.of([PlanningParametersRead.model_validate(r) for r in rows], total, page)


@router.get("/{sku}", dependencies=READ, response_model=PlanningParametersRead)
async def get_parameters(
    sku: str, session: ReadSessionDep, response: Response
) -> PlanningParametersRead:
    """One item's planning parameters; 404 if none were set."""
    row = await service.get_parameters(session, sku)
    set_etag(response, row.version)
    return PlanningParametersRead.model_validate(row)
