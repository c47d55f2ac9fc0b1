"""Events from the other services that operations applies.

Every event that names a production order also goes on that order's timeline.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.orders import service as orders
from services.operations.orders.schemas import OrderEnded, OrderSeen, ReservationSeen
from services.operations.routings.schemas import RoutingSeen
from services.operations.routings.service import routing_published
from services.operations.tasks.schemas import SchedulePublished
from services.operations.tasks.service import apply_schedule, cancel_order
from services.operations.timeline.service import record_received
from services.operations.work_requests.service import raise_once
from shared.consumer import EventHandlers, Received
from shared.numbers import DecimalValue

handlers = EventHandlers()


class AnyData(BaseModel):
    """Whatever the event carries; the timeline keeps it as it came."""

    model_config = ConfigDict(extra="allow")


class Shortage(BaseModel):
    """A component inventory could not reserve in full."""

    model_config = ConfigDict(extra="ignore")

    sku: str
    requested: DecimalValue = Decimal(0)
    available: DecimalValue = Decimal(0)


class ReservationRejected(BaseModel):
    """Inventory could not reserve an order's components."""

    model_config = ConfigDict(extra="ignore")

    reference: str
    shortages: list[Shortage] = []


class BelowReorderPoint(BaseModel):
    """An item's available stock fell below its reorder point."""

    model_config = ConfigDict(extra="ignore")

    sku: str
    available: DecimalValue = Decimal(0)
    reorder_point: DecimalValue = Decimal(0)
    suggested_quantity: DecimalValue | None = None


class OrderLate(BaseModel):
    """A production order will miss its due date."""

    model_config = ConfigDict(extra="ignore")

    order_id: str
    product_sku: str = ""
    due_date: Any = None


TIMELINE_ONLY = (
    "production.order.started",
    "inventory.movement.recorded",
)


async def on_order_event(session: AsyncSession, event: Received[AnyData]) -> None:
    """Put the event on the timelines of the orders it names."""
    await record_received(session, event)


for _event_type in TIMELINE_ONLY:
    handlers.on(_event_type, AnyData)(on_order_event)


@handlers.on("production.order.created", OrderSeen)
async def on_order_created(session: AsyncSession, event: Received[OrderSeen]) -> None:
    """Know the order's number, quantity, due date and priority for the dispatch lists."""
    await orders.order_seen(session, event.data, "planned")
    await record_received(session, event)


@handlers.on("production.order.released", OrderSeen)
async def on_order_released(session: AsyncSession, event: Received[OrderSeen]) -> None:
    """The order asks inventory for its components: its materials are pending."""
    await orders.order_seen(session, event.data, "released")
    await record_received(session, event)


@handlers.on("production.order.completed", OrderEnded)
async def on_order_completed(session: AsyncSession, event: Received[OrderEnded]) -> None:
    """The order is done."""
    await orders.order_ended(session, event.data.order_id, "completed")
    await record_received(session, event)


MATERIALS_AFTER = {
    "inventory.reservation.confirmed": "reserved",
    "inventory.reservation.released": "released",
    "inventory.reservation.consumed": "consumed",
}


async def on_reservation_changed(session: AsyncSession, event: Received[ReservationSeen]) -> None:
    """The order's components were reserved, given back or used up."""
    if event.data.reference:
        await orders.materials_changed(
            session, event.data.reference, MATERIALS_AFTER[event.envelope.type]
        )
    await record_received(session, event)


for _event_type in MATERIALS_AFTER:
    handlers.on(_event_type, ReservationSeen)(on_reservation_changed)


@handlers.on("production.routing.published", RoutingSeen)
async def on_routing_published(session: AsyncSession, event: Received[RoutingSeen]) -> None:
    """Keep the product's routing steps: the overlap each operation allows."""
    await routing_published(session, event.data)


@handlers.on("production.schedule.published", SchedulePublished)
async def on_schedule_published(session: AsyncSession, event: Received[SchedulePublished]) -> None:
    """Rebuild the dispatch lists of the orders the schedule covers."""
    await apply_schedule(session, event.data, event.envelope.time)
    await record_received(session, event)


class OrderCancelled(BaseModel):
    """A production order was cancelled."""

    model_config = ConfigDict(extra="ignore")

    order_id: str


@handlers.on("production.order.cancelled", OrderCancelled)
async def on_order_cancelled(session: AsyncSession, event: Received[OrderCancelled]) -> None:
    """Take the order's tasks not started yet off the dispatch lists."""
    await cancel_order(session, event.data.order_id)
    await orders.order_ended(session, event.data.order_id, "cancelled")
    await record_received(session, event)


class Defect(BaseModel):
    """A defect found in an inspection."""

    model_config = ConfigDict(extra="ignore")

    code: str
    count: int = 0


class InspectionRecorded(BaseModel):
    """Quality inspected an order's output."""

    model_config = ConfigDict(extra="ignore")

    inspection_id: str
    order_id: str
    product_sku: str = ""
    lot: str | None = None
    result: str
    defects: list[Defect] = []


@handlers.on("production.inspection.recorded", InspectionRecorded)
async def on_inspection_recorded(
    session: AsyncSession, event: Received[InspectionRecorded]
) -> None:
    """A failed inspection asks quality to act on the order (once while a request is open)."""
    data = event.data
    if data.result == "fail":
        defects = ", ".join(f"{d.code} x{d.count}" for d in data.defects) or "no defect codes"
        await raise_once(
            session,
            kind="quality",
            title=f"Inspection failed for order {data.order_id} ({data.product_sku}): {defects}",
            description=f"Inspection {data.inspection_id}, lot {data.lot or 'none'}.",
            origin=event.envelope.type,
            order_id=data.order_id,
        )
    await record_received(session, event)


@handlers.on("inventory.reservation.rejected", ReservationRejected)
async def on_reservation_rejected(
    session: AsyncSession, event: Received[ReservationRejected]
) -> None:
    """Ask for the missing material of the order (once while a request is open)."""
    data = event.data
    missing = (
        ", ".join(f"{s.sku} ({s.requested - s.available} short)" for s in data.shortages)
        or "components"
    )
    await raise_once(
        session,
        kind="material",
        title=f"Material short for order {data.reference}: {missing}",
        description="Inventory could not reserve the order's components.",
        origin=event.envelope.type,
        order_id=data.reference,
    )
    await orders.materials_changed(session, data.reference, "short")
    await record_received(session, event)


@handlers.on("inventory.stock.below_reorder_point", BelowReorderPoint)
async def on_below_reorder_point(session: AsyncSession, event: Received[BelowReorderPoint]) -> None:
    """Ask for replenishment of the item (once while a request is open)."""
    data = event.data
    await raise_once(
        session,
        kind="material",
        title=f"Replenish {data.sku}: {data.available} available, reorder point {data.reorder_point}",
        description=f"Suggested quantity: {data.suggested_quantity or 'see the item'}.",
        origin=event.envelope.type,
        sku=data.sku,
    )


@handlers.on("production.order.late", OrderLate)
async def on_order_late(session: AsyncSession, event: Received[OrderLate]) -> None:
    """Ask engineering and planning to recover the late order (once while a request is open)."""
    data = event.data
    await raise_once(
        session,
        kind="engineering",
        title=f"Order {data.order_id} ({data.product_sku}) will miss its due date {data.due_date}",
        description="Re-plan, expedite or agree a new date.",
        origin=event.envelope.type,
        order_id=data.order_id,
    )
    await record_received(session, event)
