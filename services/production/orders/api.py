"""HTTP routes of production orders."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from services.production.catalog.references import learn_items
from services.production.orders import service
from services.production.orders.models import ProductionOrder, TaskActual
from services.production.orders.schemas import (
    CancelRequest,
    CompleteRequest,
    OrderCreate,
    OrderRead,
    OrderStatus,
    Progress,
    TaskProgress,
)
from shared.auth import require_scope
from shared.concurrency import set_etag
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep, TransactionsDep
from shared.queries import DatedListParams, dated_list_params

READ = [require_scope("production:read")]
WRITE = [require_scope("production:write")]

router = APIRouter(prefix="/api/v1/orders", tags=["orders"])


def progress_of(tasks: list[TaskActual]) -> Progress:
    """The shop floor's progress on an order, from its task actuals."""
    done = [t for t in tasks if t.completed_at is not None]
    last_done = max(done, key=lambda t: t.sequence, default=None)
    return Progress(
        operations_started=sum(1 for t in tasks if t.started_at is not None),
        operations_completed=len(done),
        last_operation_completed=any(t.last_operation for t in done),
        reported_good_quantity=(last_done.good_quantity or Decimal(0)) if last_done else 0,
        worked_minutes=sum((t.worked_minutes or Decimal(0) for t in tasks), Decimal(0)),
        tasks=[TaskProgress.model_validate(t) for t in tasks],
    )


def read(order: ProductionOrder, tasks: list[TaskActual]) -> OrderRead:
    """The order as the API shows it."""
    return OrderRead.model_validate(
        {
            **{c.key: getattr(order, c.key) for c in ProductionOrder.__table__.columns},
            "progress": progress_of(tasks),
        }
    )


async def _one(session: SessionDep, order: ProductionOrder, response: Response) -> OrderRead:
    tasks = await service.tasks_of(session, [order.id])
    set_etag(response, order.version)
    return read(order, tasks[order.id])


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=OrderRead)
async def create_order(data: OrderCreate, tx: TransactionsDep, response: Response) -> OrderRead:
    """Plan an order to make a quantity of a product by a due date (publishes
    `production.order.created`); 422 if inventory has no such product, 503 if it cannot be asked
    about one production has not heard of yet."""
    await learn_items(tx, [data.product_sku])
    async with tx.effect() as session:
        order = await service.create_order(session, data)
        created = await _one(session, order, response)
    response.headers["Location"] = f"/api/v1/orders/{order.id}"
    return created


ORDER_LIST = dated_list_params(["due_date", "created_at"], "due_date", "created_at")


@router.get("", dependencies=READ, response_model=Page[OrderRead])
async def list_orders(
    session: ReadSessionDep,
    page: PageDep,
    dated: Annotated[DatedListParams, Depends(ORDER_LIST)],
    status_: Annotated[
        OrderStatus | None, Query(alias="status", description="Only this status.")
    ] = None,
    product_sku: Annotated[str | None, Query(description="Only orders of this product.")] = None,
) -> Page[OrderRead]:
    """List orders by due date, filtered by status or product."""
    rows, total = await service.list_orders(session, page, status_, product_sku, dated)
    tasks = await service.tasks_of(session, [o.id for o in rows])
    return Page.of([read(o, tasks[o.id]) for o in rows], total, page)


@router.get("/{order_id}", dependencies=READ, response_model=OrderRead)
async def get_order(order_id: str, session: ReadSessionDep, response: Response) -> OrderRead:
    """One order with its materials status, shortages and shop-floor progress."""
    return await _one(session, await service.get_order(session, order_id), response)


@router.post("/{order_id}/release", dependencies=WRITE, response_model=OrderRead)
async def release_order(order_id: str, session: SessionDep, response: Response) -> OrderRead:
    """Release a planned order: the BOM version effective on its due date (today's, if the due
    date has passed) is exploded and `production.order.released` asks inventory to reserve the
    components; `materials_status` is `pending` until inventory answers (`reserved` or `short`
    with the shortages). 409 if the order is not planned or the product has no BOM effective
    on that date."""
    return await _one(session, await service.release_order(session, order_id), response)


@router.post("/{order_id}/reserve", dependencies=WRITE, response_model=OrderRead)
async def reserve_again(order_id: str, session: SessionDep, response: Response) -> OrderRead:
    """Ask inventory again for the components of an order whose `materials_status` is `short`
    (e.g. after a receipt): `materials_status` is `pending` until it answers. 409 otherwise."""
    return await _one(session, await service.reserve_again(session, order_id), response)


@router.post("/{order_id}/start", dependencies=WRITE, response_model=OrderRead)
async def start_order(order_id: str, session: SessionDep, response: Response) -> OrderRead:
    """Mark a released order in progress (also done when operations starts its first task)."""
    return await _one(session, await service.start_order(session, order_id), response)


@router.post("/{order_id}/complete", dependencies=WRITE, response_model=OrderRead)
async def complete_order(
    order_id: str, data: CompleteRequest, session: SessionDep, response: Response
) -> OrderRead:
    """Record the good and scrap output: `production.order.completed` makes inventory issue the
    components and receive the good quantity. 409 unless released or in progress."""
    order = await service.complete_order(session, order_id, data)
    return await _one(session, order, response)


@router.post("/{order_id}/cancel", dependencies=WRITE, response_model=OrderRead)
async def cancel_order(
    order_id: str, session: SessionDep, response: Response, data: CancelRequest | None = None
) -> OrderRead:
    """Cancel an order that is not completed (publishes `production.order.cancelled`, which
    releases its reservation)."""
    order = await service.cancel_order(session, order_id, data.reason if data else None)
    return await _one(session, order, response)
