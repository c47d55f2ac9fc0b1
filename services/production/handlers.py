"""Events from the other services that production applies."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.production.catalog.models import KnownItem, KnownStock
from services.production.catalog.service import (
    DowntimeSeen,
    WorkCenterSeen,
    keep_downtime,
    keep_work_center,
)
from services.production.costing import service as costing
from services.production.mrp import service as mrp
from services.production.mrp import views as mrp_views
from services.production.orders import service as orders
from services.production.orders.schemas import (
    ReservationConfirmedSeen,
    ReservationRejectedSeen,
    TaskCompletedSeen,
    TaskCorrectedSeen,
    TaskReportedSeen,
    TaskStartedSeen,
)
from services.production.schedules.service import replan_after_downtime
from shared.consumer import EventHandlers, Received
from shared.item_view import subscribe_item_view
from shared.stock_view import subscribe_stock_view

handlers = EventHandlers()
subscribe_item_view(handlers, KnownItem)
subscribe_stock_view(handlers, KnownStock)


@handlers.on("operations.work_center.created", WorkCenterSeen)
@handlers.on("operations.work_center.updated", WorkCenterSeen)
async def on_work_center_changed(session: AsyncSession, event: Received[WorkCenterSeen]) -> None:
    """Keep the work center view (capacity, cost, calendar) current."""
    await keep_work_center(session, event.data, event.sequence)


@handlers.on("operations.downtime.recorded", DowntimeSeen)
async def on_downtime_recorded(session: AsyncSession, event: Received[DowntimeSeen]) -> None:
    """Remember the downtime; re-plan the current schedule if it uses the work center then."""
    if await keep_downtime(session, event.data, event.sequence):
        seen = event.data
        await replan_after_downtime(
            session, seen.downtime_id, seen.work_center, seen.start, seen.end
        )


@handlers.on("inventory.reservation.confirmed", ReservationConfirmedSeen)
async def on_reservation_confirmed(
    session: AsyncSession, event: Received[ReservationConfirmedSeen]
) -> None:
    """A production order's components are reserved, or a delivery order's goods (for MRP)."""
    if event.data.reference:
        await orders.materials_reserved(session, event.data.reference, event.data.reservation_id)
        await mrp_views.delivery_reserved(session, event.data.reference, event.envelope.data)


@handlers.on("inventory.reservation.rejected", ReservationRejectedSeen)
async def on_reservation_rejected(
    session: AsyncSession, event: Received[ReservationRejectedSeen]
) -> None:
    """A production order's components are short; keep the shortages."""
    reference = event.data.reference or event.subject
    shortages = [s.model_dump(mode="json") for s in event.data.shortages]
    await orders.materials_short(session, reference, shortages)


@handlers.on("operations.task.started", TaskStartedSeen)
async def on_task_started(session: AsyncSession, event: Received[TaskStartedSeen]) -> None:
    """An operation of an order began on the shop floor."""
    seen = event.data
    await orders.task_started(
        session, seen.task_id, seen.order_id, seen.sequence, seen.work_center, seen.started_at
    )


@handlers.on("operations.task.completed", TaskCompletedSeen)
async def on_task_completed(session: AsyncSession, event: Received[TaskCompletedSeen]) -> None:
    """An operation of an order finished: keep its times and quantities."""
    values = event.data.model_dump(exclude={"task_id", "order_id"})
    await orders.task_completed(session, event.data.order_id, event.data.task_id, values)


@handlers.on("operations.task.reported", TaskReportedSeen)
async def on_task_reported(session: AsyncSession, event: Received[TaskReportedSeen]) -> None:
    """Units of an operation were reported before it finished: keep its totals so far."""
    seen = event.data
    await orders.task_reported(
        session,
        seen.order_id,
        seen.task_id,
        seen.sequence,
        seen.work_center,
        seen.total_good,
        seen.total_scrap,
    )


@handlers.on("operations.task.corrected", TaskCorrectedSeen)
async def on_task_corrected(session: AsyncSession, event: Received[TaskCorrectedSeen]) -> None:
    """A completed operation's quantities were corrected: progress and cost follow."""
    seen = event.data
    await orders.task_corrected(
        session,
        seen.order_id,
        seen.task_id,
        seen.sequence,
        seen.good_quantity,
        seen.scrap_quantity,
        seen.last_operation,
    )


@handlers.on("logistics.delivery_order.created", mrp_views.DeliveryOrderSeen)
async def on_delivery_order_created(
    session: AsyncSession, event: Received[mrp_views.DeliveryOrderSeen]
) -> None:
    """A customer order is demand for MRP."""
    await mrp_views.delivery_order_created(session, event.data)


@handlers.on("logistics.delivery_order.cancelled", mrp_views.DeliveryCancelledSeen)
async def on_delivery_order_cancelled(
    session: AsyncSession, event: Received[mrp_views.DeliveryCancelledSeen]
) -> None:
    """A cancelled order, or the cancelled rest of one, needs no more planning."""
    await mrp_views.delivery_cancelled(session, event.data)


@handlers.on("logistics.shipment.dispatched", mrp_views.ShipmentSeen)
async def on_shipment_dispatched(
    session: AsyncSession, event: Received[mrp_views.ShipmentSeen]
) -> None:
    """Shipped lines are demand no more."""
    await mrp_views.shipment_dispatched(session, event.data)


@handlers.on("logistics.purchase_order.placed", mrp_views.PurchaseOrderSeen)
async def on_purchase_order_placed(
    session: AsyncSession, event: Received[mrp_views.PurchaseOrderSeen]
) -> None:
    """A placed purchase order is supply for MRP; it covers the firmed buy orders of its skus."""
    first_seen = await mrp_views.purchase_order_placed(session, event.data)
    await mrp.cover_firmed_buys(session, event.data.purchase_order_id, first_seen)


@handlers.on("logistics.purchase_order.proposed", mrp_views.PurchaseProposalSeen)
async def on_purchase_order_proposed(
    session: AsyncSession, event: Received[mrp_views.PurchaseProposalSeen]
) -> None:
    """A draft logistics proposed is supply for MRP, so the same need is not proposed twice."""
    await mrp_views.purchase_order_proposed(session, event.data)


@handlers.on("logistics.purchase_order.received", mrp_views.PurchaseReceiptSeen)
async def on_purchase_order_received(
    session: AsyncSession, event: Received[mrp_views.PurchaseReceiptSeen]
) -> None:
    """Received lines are stock now, not open supply."""
    await mrp_views.purchase_order_received(session, event.data)


@handlers.on("logistics.purchase_order.cancelled", mrp_views.PurchaseOrderEnded)
@handlers.on("logistics.purchase_order.closed", mrp_views.PurchaseOrderEnded)
async def on_purchase_order_ended(
    session: AsyncSession, event: Received[mrp_views.PurchaseOrderEnded]
) -> None:
    """A cancelled or closed purchase order brings nothing more."""
    await mrp_views.purchase_order_ended(session, event.data.purchase_order_id)


@handlers.on("inventory.movement.recorded", costing.MovementSeen)
async def on_movement_recorded(
    session: AsyncSession, event: Received[costing.MovementSeen]
) -> None:
    """Components issued against a production order are its actual material cost."""
    await costing.movement_recorded(session, event.data)


@handlers.on("inventory.reservation.released", mrp_views.ReservationEnded)
@handlers.on("inventory.reservation.consumed", mrp_views.ReservationEnded)
async def on_reservation_ended(
    session: AsyncSession, event: Received[mrp_views.ReservationEnded]
) -> None:
    """A delivery order's reservation no longer holds stock back: MRP counts the order again
    (less what has shipped)."""
    if event.data.reference:
        await mrp_views.delivery_unreserved(session, event.data.reference)
