"""HTTP routes of delivery orders and shipments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from services.logistics.deliveries import service
from services.logistics.deliveries.models import DeliveryOrder, Shipment
from services.logistics.deliveries.schemas import (
    CancelRequest,
    DeliveryOrderCreate,
    DeliveryOrderRead,
    DeliveryStatus,
    ShipmentRead,
    ShipmentStatus,
    ShipmentStatusUpdate,
    ShipRequest,
    ShipResult,
)
from shared.auth import require_scope
from shared.concurrency import set_etag
from shared.db import new_id
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep, TransactionsDep
from shared.queries import DatedListParams, dated_list_params

READ = [require_scope("logistics:read")]
WRITE = [require_scope("logistics:write")]

delivery_orders = APIRouter(prefix="/api/v1/delivery-orders", tags=["delivery orders"])
shipments = APIRouter(prefix="/api/v1/shipments", tags=["shipments"])

IdempotencyKey = Annotated[
    str | None, Header(alias="Idempotency-Key", description="Send the same key to retry safely.")
]


def _shipment_of(shipment: Shipment, order: DeliveryOrder) -> ShipmentRead:
    return ShipmentRead.model_validate(shipment)


async def _shipment(session: AsyncSession, shipment: Shipment) -> ShipmentRead:
    order = await service.get_delivery_order(session, shipment.delivery_order_id)
    return _shipment_of(shipment, order)


@delivery_orders.post(
    "", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=DeliveryOrderRead
)
async def create_delivery_order(
    data: DeliveryOrderCreate, session: SessionDep, response: Response
) -> DeliveryOrderRead:
    """Record a customer's order. Publishes `logistics.delivery_order.created`."""
    order = await service.create_delivery_order(session, data)
    set_etag(response, order.version)
    response.headers["Location"] = f"/api/v1/delivery-orders/{order.id}"
    return DeliveryOrderRead.model_validate(order)


DELIVERY_ORDER_LIST = dated_list_params(["due_date", "created_at"], "due_date", "created_at")


@delivery_orders.get("", dependencies=READ, response_model=Page[DeliveryOrderRead])
async def list_delivery_orders(
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[DatedListParams, Depends(DELIVERY_ORDER_LIST)],
    status_: Annotated[
        DeliveryStatus | None, Query(alias="status", description="Only this status.")
    ] = None,
    customer: Annotated[str | None, Query(description="Only this customer's orders.")] = None,
) -> Page[DeliveryOrderRead]:
    """List delivery orders by due date, filtered by status or customer."""
    rows, total = await service.list_delivery_orders(session, page, status_, customer, dated)
    return Page.of([DeliveryOrderRead.model_validate(r) for r in rows], total, page)


@delivery_orders.get("/{order_id}", dependencies=READ, response_model=DeliveryOrderRead)
async def get_delivery_order(
    order_id: str, session: ReadSessionDep, response: Response
) -> DeliveryOrderRead:
    """One delivery order."""
    order = await service.get_delivery_order(session, order_id)
    set_etag(response, order.version)
    return DeliveryOrderRead.model_validate(order)


@delivery_orders.post("/{order_id}/pick", dependencies=WRITE, response_model=DeliveryOrderRead)
async def pick(
    order_id: str, request: Request, tx: TransactionsDep, idempotency_key: IdempotencyKey = None
) -> DeliveryOrderRead:
    """Reserve the goods in inventory, all or nothing; 409 `insufficient-stock` with the shortages."""
    order = await service.pick(tx, request.app, order_id, idempotency_key or new_id())
    return DeliveryOrderRead.model_validate(order)


@delivery_orders.post("/{order_id}/ship", dependencies=WRITE, response_model=ShipResult)
async def ship(
    order_id: str,
    request: Request,
    tx: TransactionsDep,
    data: ShipRequest | None = None,
    idempotency_key: IdempotencyKey = None,
) -> ShipResult:
    """Issue the goods from inventory and dispatch them. 409 if they are not available, and then
    nothing changes. Publishes `logistics.shipment.dispatched`.

    With `lines`, only that part ships (each quantity at most what is still open of its line);
    the rest stays open as the order's backorder, `partially_shipped`, and MRP keeps planning it.
    Without lines, everything still open ships, or nothing."""
    shipment, order = await service.ship(
        tx, request.app, order_id, data or ShipRequest(), idempotency_key or new_id()
    )
    return ShipResult(
        shipment=_shipment_of(shipment, order),
        delivery_order=DeliveryOrderRead.model_validate(order),
    )


@delivery_orders.post("/{order_id}/cancel", dependencies=WRITE, response_model=DeliveryOrderRead)
async def cancel(
    order_id: str,
    request: Request,
    tx: TransactionsDep,
    data: CancelRequest | None = None,
    idempotency_key: IdempotencyKey = None,
) -> DeliveryOrderRead:
    """Cancel a delivery order not shipped yet, or the rest (the backorder) of one shipped in
    part, which is then `closed`; picked goods are released (409 if they were issued meanwhile).
    Publishes `logistics.delivery_order.cancelled`, so MRP stops planning what will not ship."""
    order = await service.cancel(
        tx, request.app, order_id, idempotency_key or new_id(), data.reason if data else None
    )
    return DeliveryOrderRead.model_validate(order)


SHIPMENT_LIST = dated_list_params(["dispatched_at"], "-dispatched_at", "dispatched_at")


@shipments.get("", dependencies=READ, response_model=Page[ShipmentRead])
async def list_shipments(
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[DatedListParams, Depends(SHIPMENT_LIST)],
    status_: Annotated[
        ShipmentStatus | None, Query(alias="status", description="Only this status.")
    ] = None,
    delivery_order: Annotated[
        str | None, Query(description="Only this delivery order's shipment.")
    ] = None,
) -> Page[ShipmentRead]:
    """List shipments, newest first."""
    rows, total = await service.list_shipments(session, page, status_, delivery_order, dated)
    return Page.of([await _shipment(session, r) for r in rows], total, page)


@shipments.get("/{shipment_id}", dependencies=READ, response_model=ShipmentRead)
async def get_shipment(shipment_id: str, session: ReadSessionDep) -> ShipmentRead:
    """One shipment with its carrier, tracking number and status."""
    return await _shipment(session, await service.get_shipment(session, shipment_id))


@shipments.post("/{shipment_id}/status", dependencies=WRITE, response_model=ShipmentRead)
async def update_status(
    shipment_id: str, data: ShipmentStatusUpdate, session: SessionDep
) -> ShipmentRead:
    """Record what the carrier reports: `in_transit`, `delivered` or `exception`. Publishes
    `logistics.shipment.<status>`; delivered says whether it was on time."""
    return await _shipment(session, await service.update_status(session, shipment_id, data))
