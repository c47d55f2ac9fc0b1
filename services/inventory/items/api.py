"""HTTP routes of the item master."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from services.inventory.items import service
from services.inventory.items.schemas import ItemCreate, ItemKind, ItemRead, ItemUpdate
from shared.auth import require_scope
from shared.concurrency import set_etag
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep

router = APIRouter(prefix="/api/v1/items", tags=["items"])
READ = [require_scope("inventory:read")]
WRITE = [require_scope("inventory:write")]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=ItemRead)
async def create_item(data: ItemCreate, session: SessionDep, response: Response) -> ItemRead:
    """Add an item to the SKU master; 409 if the sku exists. Publishes `inventory.item.created`."""
    item = await service.create_item(session, data)
    set_etag(response, item.version)
    response.headers["Location"] = f"/api/v1/items/{item.sku}"
    return ItemRead.model_validate(item)


@router.get("", dependencies=READ, response_model=Page[ItemRead])
async def list_items(
    session: ReadSessionDep,
    page: PageDep,
    kind: Annotated[ItemKind | None, Query(description="Only items of this kind.")] = None,
    search: Annotated[
        str | None, Query(max_length=100, description="Part of the sku or name.")
    ] = None,
) -> Page[ItemRead]:
    """List items, filtered by kind or text, a page at a time."""
    items, total = await service.list_items(session, page, kind, search)
    return Page.of([ItemRead.model_validate(i) for i in items], total, page)


@router.get("/{sku}", dependencies=READ, response_model=ItemRead)
async def get_item(sku: str, session: ReadSessionDep, response: Response) -> ItemRead:
    """One item; its ETag is the version to send back in If-Match."""
    item = await service.get_item(session, sku)
    set_etag(response, item.version)
    return ItemRead.model_validate(item)


@router.patch("/{sku}", dependencies=WRITE, response_model=ItemRead)
async def update_item(
    sku: str,
    data: ItemUpdate,
    session: SessionDep,
    response: Response,
    if_match: Annotated[str | None, Header(description="The ETag you read (required).")] = None,
) -> ItemRead:
    """Change an item's master data; 412 if it changed since you read it. Publishes `inventory.item.updated`."""
    item = await service.update_item(session, sku, data, if_match)
    set_etag(response, item.version)
    return ItemRead.model_validate(item)
