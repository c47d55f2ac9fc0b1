"""HTTP routes of bills of materials: versions, explosion and where-used."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from services.production.boms import service
from services.production.boms.schemas import (
    BomCreate,
    BomRead,
    Explosion,
    ExplosionLine,
    Requirement,
    UsageLine,
    WhereUsed,
)
from services.production.catalog.references import learn_items
from services.production.domain.bom import total_requirements
from shared.auth import require_scope
from shared.dependencies import Page, PageDep, ReadSessionDep, TransactionsDep
from shared.numbers import PositiveQuantity
from shared.timestamps import PlantDate

READ = [require_scope("production:read")]
WRITE = [require_scope("production:write")]

router = APIRouter(prefix="/api/v1/boms", tags=["boms"])
items = APIRouter(prefix="/api/v1/items", tags=["boms"])

OnDate = Annotated[
    PlantDate | None,
    Query(description="Use the BOM versions effective on this date (default today)."),
]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=BomRead)
async def create_bom(data: BomCreate, tx: TransactionsDep, response: Response) -> BomRead:
    """Publish a new version of a product's BOM (publishes `production.bom.published`).

    Every sku must be an item of inventory's (else 422 naming them; 503 if inventory cannot be
    asked about one production has not heard of yet); a BOM that would contain its own product,
    directly or through the components' BOMs, is 422 naming the path."""
    await learn_items(tx, [data.product_sku, *(line.sku for line in data.components)])
    async with tx.effect() as session:
        bom = await service.create_bom(session, data)
        created = BomRead.model_validate(bom)
    response.headers["Location"] = f"/api/v1/boms/{bom.id}"
    return created


@router.get("", dependencies=READ, response_model=Page[BomRead])
async def list_boms(
    session: ReadSessionDep,
    page: PageDep,
    product_sku: Annotated[str | None, Query(description="Only this product's versions.")] = None,
) -> Page[BomRead]:
    """List BOM versions by product, newest version first."""
    rows, total = await service.list_boms(session, page, product_sku)
    return Page.of([BomRead.model_validate(r) for r in rows], total, page)


@router.get("/{bom_id}", dependencies=READ, response_model=BomRead)
async def get_bom(bom_id: str, session: ReadSessionDep) -> BomRead:
    """One BOM version."""
    return BomRead.model_validate(await service.get_bom(session, bom_id))


@router.get("/{product_sku}/explosion", dependencies=READ, response_model=Explosion)
async def explode_bom(
    product_sku: str,
    session: ReadSessionDep,
    quantity: Annotated[PositiveQuantity, Query(description="Quantity of the product.")] = Decimal(
        1
    ),
    on: OnDate = None,
) -> Explosion:
    """The indented multi-level explosion of a quantity of a product, scrap included, using the
    BOM versions effective on the date; 404 if the product has no effective BOM."""
    on = on or service.today()
    bom, lines = await service.explosion(session, product_sku, quantity, on)
    return Explosion(
        product_sku=product_sku,
        quantity=quantity,
        on=on,
        bom_id=bom.id,
        version=bom.version,
        lines=[
            ExplosionLine(
                level=line.level,
                sku=line.sku,
                parent_sku=line.parent_sku,
                quantity=line.quantity,
                quantity_per=line.quantity_per,
                scrap_factor=line.scrap_factor,
                has_bom=line.has_bom,
            )
            for line in lines
        ],
        totals=[Requirement(sku=s, quantity=q) for s, q in total_requirements(lines)],
    )


@items.get("/{sku}/where-used", dependencies=READ, response_model=WhereUsed)
async def where_used(sku: str, session: ReadSessionDep, on: OnDate = None) -> WhereUsed:
    """The products whose effective BOMs use an item, directly (level 1) or through the
    assemblies that contain it (level 2, ...)."""
    on = on or service.today()
    usages = await service.usages(session, sku, on)
    return WhereUsed(
        sku=sku,
        on=on,
        used_in=[
            UsageLine(
                level=u.level,
                sku=u.sku,
                parent_sku=u.parent_sku,
                quantity_per=u.quantity_per,
                bom_id=u.bom_id,
                version=u.version,
            )
            for u in usages
        ],
    )
