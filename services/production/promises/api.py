"""HTTP routes of promises (capable to promise)."""

from __future__ import annotations

from fastapi import APIRouter

from services.production.catalog.references import learn_items
from services.production.promises import service
from services.production.promises.schemas import ConstraintRead, PromiseRead, PromiseRequest
from shared.auth import require_scope
from shared.dependencies import TransactionsDep

router = APIRouter(prefix="/api/v1/promises", tags=["promises"])


@router.post("", dependencies=[require_scope("production:read")], response_model=PromiseRead)
async def make_promise(data: PromiseRequest, tx: TransactionsDep) -> PromiseRead:
    """The earliest date `quantity` of `sku` can be delivered (nothing is reserved or stored).

    Stock available now first; then open purchase orders and released production orders on
    their dates; otherwise a new order: bought in the item's lead time, or made once its
    components are ready (recursively through the BOM) and its routing has run on work centers
    after what the current schedule holds there. `limited_by` names the binding constraint.
    422 for an unknown sku or a quantity that is not positive."""
    # An item created in inventory a moment ago is asked of inventory, not refused.
    await learn_items(tx, [data.sku])
    async with tx.read() as session:
        answer = await service.make_promise(session, data)
    constraint = answer.constraint
    return PromiseRead(
        sku=answer.sku,
        quantity=answer.quantity,
        warehouse=data.warehouse,
        promised_date=answer.promised_date,
        ready_at=answer.ready_at,
        limited_by=constraint.name,
        constraint=ConstraintRead(
            kind=constraint.kind,
            sku=constraint.sku,
            work_center=constraint.work_center,
            order=constraint.order,
        ),
    )
