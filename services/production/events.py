"""Events the production service publishes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import BaseModel, Field

from shared.events import DomainEvent, EventCatalog
from shared.numbers import DecimalValue

catalog = EventCatalog("production")


class BomLine(BaseModel):
    """One component of a BOM."""

    sku: str
    quantity: DecimalValue
    scrap_factor: DecimalValue = Decimal(0)


@catalog.register
class BomPublished(DomainEvent):
    """A bill of materials was published for a product."""

    event_type: ClassVar[str] = "production.bom.published"

    bom_id: str
    product_sku: str
    version: int
    output_quantity: DecimalValue
    effective_from: date | None = None
    components: list[BomLine]


class RoutingStep(BaseModel):
    """One operation of a routing."""

    sequence: int
    work_center: str
    setup_minutes: DecimalValue
    run_minutes_per_unit: DecimalValue
    overlap_quantity: DecimalValue | None = Field(
        None,
        description="Good units the operation before must report before this one may start "
        "(none: all of them).",
    )


@catalog.register
class RoutingPublished(DomainEvent):
    """A routing was published for a product."""

    event_type: ClassVar[str] = "production.routing.published"

    routing_id: str
    product_sku: str
    version: int
    effective_from: date | None = None
    operations: list[RoutingStep]


class ComponentQuantity(BaseModel):
    """A quantity of one component of an order."""

    sku: str
    quantity: DecimalValue


@catalog.register
class OrderCreated(DomainEvent):
    """A production order was planned."""

    event_type: ClassVar[str] = "production.order.created"

    order_id: str
    number: str
    product_sku: str
    quantity: DecimalValue
    due_date: date
    status: str
    priority: int
    warehouse: str


@catalog.register
class OrderReleased(DomainEvent):
    """A production order was released to the shop: its components should be reserved."""

    event_type: ClassVar[str] = "production.order.released"

    order_id: str
    product_sku: str
    quantity: DecimalValue
    due_date: date
    priority: int
    warehouse: str
    bom_id: str
    bom_version: int
    components: list[ComponentQuantity]
    reservation_attempt: int = Field(
        1, description="2, 3, ... when a short order asks for its components again."
    )


@catalog.register
class OrderStarted(DomainEvent):
    """Work on a production order began."""

    event_type: ClassVar[str] = "production.order.started"

    order_id: str
    product_sku: str
    quantity: DecimalValue
    started_at: datetime


@catalog.register
class OrderCompleted(DomainEvent):
    """A production order finished: its components are consumed, its good output is stock."""

    event_type: ClassVar[str] = "production.order.completed"

    order_id: str
    product_sku: str
    good_quantity: DecimalValue
    scrap_quantity: DecimalValue
    lot: str | None
    warehouse: str
    reservation_id: str | None
    components: list[ComponentQuantity]
    unit_cost: DecimalValue
    conversion_cost: DecimalValue = Field(
        default=Decimal(0),
        description="The order's reported work-center time at hourly cost plus overhead; "
        "inventory adds it to the issued materials to value the output.",
    )


@catalog.register
class OrderCancelled(DomainEvent):
    """A production order was cancelled; reserved components go back to stock."""

    event_type: ClassVar[str] = "production.order.cancelled"

    order_id: str
    product_sku: str
    reason: str | None = None
    reservation_id: str | None = None


@catalog.register
class OrderLate(DomainEvent):
    """An open production order will miss its due date; announced once per order."""

    event_type: ClassVar[str] = "production.order.late"

    order_id: str
    product_sku: str
    due_date: date
    expected_completion: datetime | None = Field(
        default=None,
        description="When the stored schedule finishes the order's last operation; "
        "None when the due date passed and no schedule says when it will be done.",
    )
    reason: Literal["overdue", "scheduled_late"] = Field(
        description="overdue: the due date passed without completion; scheduled_late: a stored "
        "schedule plans the last operation after the due date."
    )


class ScheduledOperationData(BaseModel):
    """An operation of a published schedule."""

    order_id: str
    product_sku: str
    quantity: DecimalValue
    sequence: int
    work_center: str
    start: datetime
    end: datetime
    setup_minutes: int
    run_minutes: int


@catalog.register
class SchedulePublished(DomainEvent):
    """A schedule version was stored; `replaces` names the version it supersedes after a re-plan."""

    event_type: ClassVar[str] = "production.schedule.published"

    schedule_id: str
    version: int
    replaces: str | None = None
    objective: str
    status: str
    makespan_minutes: int
    operations: list[ScheduledOperationData]


class MrpPlannedLine(BaseModel):
    """A planned order of an MRP run."""

    planned_order_id: str
    kind: str
    sku: str
    quantity: DecimalValue
    release_date: date
    due_date: date
    pegged_to: list[str]
    supplier: str | None = None


@catalog.register
class MrpCompleted(DomainEvent):
    """An MRP run finished: the production (make) and purchase (buy) orders it proposes."""

    event_type: ClassVar[str] = "production.mrp.completed"

    run_id: str
    horizon_days: int
    planned_orders: list[MrpPlannedLine]


class DefectLine(BaseModel):
    """How many defects of one code an inspection found."""

    code: str
    count: int


@catalog.register
class InspectionRecorded(DomainEvent):
    """An order's output (or a lot of it) was inspected; a failed lot is to be held."""

    event_type: ClassVar[str] = "production.inspection.recorded"

    inspection_id: str
    order_id: str
    product_sku: str
    lot: str | None = None
    result: str
    attempt: int
    defects: list[DefectLine]
