"""HTTP routes of routings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from services.production.catalog.references import learn_items, learn_work_centers
from services.production.routings import service
from services.production.routings.schemas import RoutingCreate, RoutingRead
from shared.auth import require_scope
from shared.dependencies import Page, PageDep, ReadSessionDep, TransactionsDep
from shared.timestamps import PlantDate

READ = [require_scope("production:read")]
WRITE = [require_scope("production:write")]

router = APIRouter(prefix="/api/v1/routings", tags=["routings"])


@router.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=RoutingRead
)
async def create_routing(
    data: RoutingCreate, tx: TransactionsDep, response: Response
) -> RoutingRead:
    """Publish a new version of a product's routing (publishes `production.routing.published`).

    The product must be an item of inventory's and every work center one of operations', else
    422 naming them; 503 if the owner cannot be asked about one production has not heard of."""
    await learn_items(tx, [data.product_sku])
    await learn_work_centers(tx, [op.work_center for op in data.operations])
    async with tx.effect() as session:
        routing = await service.create_routing(session, data)
        created = RoutingRead.model_validate(routing)
    response.headers["Location"] = f"/api/v1/routings/{routing.id}"
    return created


@router.get("", dependencies=READ, response_model=Page[RoutingRead])
async def list_routings(
    session: ReadSessionDep,
    page: PageDep,
    product_sku: Annotated[str | None, Query(description="Only this product's versions.")] = None,
) -> Page[RoutingRead]:
    """List routing versions by product, newest version first."""
    rows, total = await service.list_routings(session, page, product_sku)
    return Page.of([RoutingRead.model_validate(r) for r in rows], total, page)


@router.get("/effective/{product_sku}", dependencies=READ, response_model=RoutingRead)
async def get_effective_routing(
    product_sku: str,
    session: ReadSessionDep,
    on: Annotated[PlantDate | None, Query(description="Date (default today).")] = None,
) -> RoutingRead:
    """The routing version that applies to a product on a date; 404 if none."""
    routing = await service.get_effective_routing(session, product_sku, on)
    return RoutingRead.model_validate(routing)


@router.get("/{routing_id}", dependencies=READ, response_model=RoutingRead)
async def get_routing(routing_id: str, session: ReadSessionDep) -> RoutingRead:
    """One routing version."""
    return RoutingRead.model_validate(await service.get_routing(session, routing_id))
