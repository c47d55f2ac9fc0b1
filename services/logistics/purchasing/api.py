"""HTTP routes of suppliers, carriers, purchase orders and receipts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Query, Response, status

from services.logistics.purchasing import service
from services.logistics.purchasing.schemas import (
    CancelRequest,
    CarrierCreate,
    CarrierRead,
    PurchaseOrderCreate,
    PurchaseOrderRead,
    PurchaseOrderStatus,
    PurchaseOrderUpdate,
    ReceiptRead,
    ReceiveRequest,
    ReceiveResult,
    SupplierCreate,
    SupplierItemRead,
    SupplierItemsWrite,
    SupplierRead,
)
from shared.auth import require_scope
from shared.concurrency import set_etag
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep
from shared.queries import DatedListParams, dated_list_params
from shared.timestamps import PlantDate, example_day

READ = [require_scope("logistics:read")]
WRITE = [require_scope("logistics:write")]

suppliers = APIRouter(prefix="/api/v1/suppliers", tags=["suppliers"])
carriers = APIRouter(prefix="/api/v1/carriers", tags=["carriers"])
purchase_orders = APIRouter(prefix="/api/v1/purchase-orders", tags=["purchase orders"])


@suppliers.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=SupplierRead
)
async def create_supplier(
    data: SupplierCreate, session: SessionDep, response: Response
) -> SupplierRead:
    """Add a supplier; 409 if the code exists."""
    supplier = await service.create_supplier(session, data)
    response.headers["Location"] = f"/api/v1/suppliers/{supplier.code}"
    return SupplierRead.model_validate(supplier)


@suppliers.get("", dependencies=READ, response_model=Page[SupplierRead])
async def list_suppliers(session: ReadSessionDep, page: PageDep) -> Page[SupplierRead]:
    """List suppliers by code, a page at a time."""
    rows, total = await service.list_suppliers(session, page)
    return Page.of([SupplierRead.model_validate(r) for r in rows], total, page)


@suppliers.get("/{code}", dependencies=READ, response_model=SupplierRead)
async def get_supplier(code: str, session: ReadSessionDep) -> SupplierRead:
    """One supplier."""
    return SupplierRead.model_validate(await service.get_supplier(session, code))


@suppliers.put("/{code}/items", dependencies=WRITE, response_model=list[SupplierItemRead])
async def put_supplier_items(
    code: str, data: SupplierItemsWrite, session: SessionDep
) -> list[SupplierItemRead]:
    """Replace the items a supplier sells, with price and minimum quantity; `preferred` makes it the
    supplier replenishment buys the sku from."""
    rows = await service.replace_supplier_items(session, code, data.items)
    return [SupplierItemRead.model_validate(r) for r in rows]


@suppliers.get("/{code}/items", dependencies=READ, response_model=list[SupplierItemRead])
async def get_supplier_items(code: str, session: ReadSessionDep) -> list[SupplierItemRead]:
    """The items a supplier sells."""
    return [SupplierItemRead.model_validate(r) for r in await service.supplier_items(session, code)]


@carriers.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=CarrierRead
)
async def create_carrier(data: CarrierCreate, session: SessionDep) -> CarrierRead:
    """Add a carrier; 409 if the code exists."""
    return CarrierRead.model_validate(await service.create_carrier(session, data))


@carriers.get("", dependencies=READ, response_model=Page[CarrierRead])
async def list_carriers(session: ReadSessionDep, page: PageDep) -> Page[CarrierRead]:
    """List carriers by code, a page at a time."""
    rows, total = await service.list_carriers(session, page)
    return Page.of([CarrierRead.model_validate(r) for r in rows], total, page)


@purchase_orders.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=PurchaseOrderRead
)
async def create_purchase_order(
    data: PurchaseOrderCreate, session: SessionDep, response: Response
) -> PurchaseOrderRead:
    """Order goods from a supplier. Placed at once (publishes `logistics.purchase_order.placed`)
    unless `status` is `draft`."""
    order = await service.create_purchase_order(session, data)
    set_etag(response, order.version)
    response.headers["Location"] = f"/api/v1/purchase-orders/{order.id}"
    return PurchaseOrderRead.model_validate(order)


PURCHASE_ORDER_LIST = dated_list_params(
    ["created_at", "expected_date"], "-created_at", "created_at"
)


@purchase_orders.get("", dependencies=READ, response_model=Page[PurchaseOrderRead])
async def list_purchase_orders(
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[DatedListParams, Depends(PURCHASE_ORDER_LIST)],
    status_: Annotated[
        PurchaseOrderStatus | None, Query(alias="status", description="Only this status.")
    ] = None,
    supplier: Annotated[str | None, Query(description="Only this supplier's orders.")] = None,
) -> Page[PurchaseOrderRead]:
    """List purchase orders, newest first, filtered by status or supplier."""
    rows, total = await service.list_purchase_orders(session, page, status_, supplier, dated)
    return Page.of([PurchaseOrderRead.model_validate(r) for r in rows], total, page)


@purchase_orders.get("/{order_id}", dependencies=READ, response_model=PurchaseOrderRead)
async def get_purchase_order(
    order_id: str, session: ReadSessionDep, response: Response
) -> PurchaseOrderRead:
    """One purchase order; its ETag is the version to send back in If-Match."""
    order = await service.get_purchase_order(session, order_id)
    set_etag(response, order.version)
    return PurchaseOrderRead.model_validate(order)


@purchase_orders.patch("/{order_id}", dependencies=WRITE, response_model=PurchaseOrderRead)
async def update_purchase_order(
    order_id: str,
    data: PurchaseOrderUpdate,
    session: SessionDep,
    response: Response,
    if_match: Annotated[str | None, Header(description="The ETag you read (required).")] = None,
) -> PurchaseOrderRead:
    """Edit a draft purchase order (lines, expected date); 409 once placed, 412 if it changed."""
    order = await service.update_purchase_order(session, order_id, data, if_match)
    set_etag(response, order.version)
    return PurchaseOrderRead.model_validate(order)


@purchase_orders.post(
    "/{order_id}/place",
    dependencies=WRITE,
    response_model=PurchaseOrderRead,
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"example": {"expected_date": example_day(7)}}}
        }
    },
)
async def place_purchase_order(
    order_id: str,
    session: SessionDep,
    response: Response,
    expected_date: Annotated[
        PlantDate | None,
        Body(embed=True, description="Overrides the expected date.", examples=[example_day(7)]),
    ] = None,
) -> PurchaseOrderRead:
    """Place a draft (e.g. proposed) purchase order. Publishes `logistics.purchase_order.placed`."""
    order = await service.place_purchase_order(session, order_id, expected_date)
    set_etag(response, order.version)
    return PurchaseOrderRead.model_validate(order)


@purchase_orders.post("/{order_id}/cancel", dependencies=WRITE, response_model=PurchaseOrderRead)
async def cancel_purchase_order(
    order_id: str, session: SessionDep, data: CancelRequest | None = None
) -> PurchaseOrderRead:
    """Cancel a draft or placed purchase order with nothing received. Publishes
    `logistics.purchase_order.cancelled` if it had been placed."""
    order = await service.cancel_purchase_order(session, order_id, data.reason if data else None)
    return PurchaseOrderRead.model_validate(order)


@purchase_orders.post("/{order_id}/close", dependencies=WRITE, response_model=PurchaseOrderRead)
async def close_purchase_order(order_id: str, session: SessionDep) -> PurchaseOrderRead:
    """Expect no more goods. Publishes `logistics.purchase_order.closed`."""
    return PurchaseOrderRead.model_validate(await service.close_purchase_order(session, order_id))


@purchase_orders.post("/{order_id}/receive", dependencies=WRITE, response_model=ReceiveResult)
async def receive(order_id: str, data: ReceiveRequest, session: SessionDep) -> ReceiveResult:
    """Record goods that arrived (partial deliveries allowed, up to 5 % over the ordered quantity).
    Publishes one `logistics.purchase_order.received` per receipt; inventory books it once."""
    receipt, order = await service.receive(session, order_id, data)
    return ReceiveResult(
        receipt=ReceiptRead.model_validate(receipt),
        purchase_order=PurchaseOrderRead.model_validate(order),
    )


@purchase_orders.get("/{order_id}/receipts", dependencies=READ, response_model=list[ReceiptRead])
async def list_receipts(order_id: str, session: ReadSessionDep) -> list[ReceiptRead]:
    """The receipts of a purchase order, oldest first."""
    return [ReceiptRead.model_validate(r) for r in await service.receipts_of(session, order_id)]
