"""Request and response bodies of the production order API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.numbers import DecimalValue, NonNegativeQuantity, PositiveQuantity
from shared.timestamps import PlantDate, example_day

OrderStatus = Literal["planned", "released", "in_progress", "completed", "cancelled"]
MaterialsStatus = Literal["none", "pending", "reserved", "short"]


class OrderCreate(BaseModel):
    """A new production order, planned until released."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "product_sku": "BIKE-CITY",
                    "quantity": "4",
                    "due_date": example_day(14),
                    "priority": 5,
                    "warehouse": "MAIN",
                }
            ]
        },
    )

    product_sku: str = Field(min_length=1, max_length=64, examples=["BIKE-CITY"])
    quantity: PositiveQuantity = Field(examples=["20"])
    due_date: PlantDate = Field(examples=[example_day(14)])
    priority: int = Field(5, ge=1, le=10, description="1 (low) to 10 (urgent).", examples=[5])
    warehouse: str = Field(
        "MAIN",
        min_length=1,
        max_length=64,
        description="Where components are taken from and the output goes.",
    )


class CompleteRequest(BaseModel):
    """What the order produced."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"good_quantity": "4", "scrap_quantity": "0", "lot": "L-BIKE-CITY-0f6f1c"}]
        },
    )

    good_quantity: NonNegativeQuantity = Field(examples=["19"])
    scrap_quantity: NonNegativeQuantity = Field(Decimal(0), examples=["1"])
    lot: str | None = Field(None, min_length=1, max_length=64, examples=["L-BIKE-CITY-0f6f1c"])


class CancelRequest(BaseModel):
    """Why the order is cancelled."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "Customer order withdrawn"}]},
    )

    reason: str | None = Field(None, max_length=500, examples=["Customer order withdrawn"])


class Shortage(BaseModel):
    """A component inventory could not reserve in full."""

    model_config = ConfigDict(extra="ignore")

    sku: str
    requested: DecimalValue
    available: DecimalValue


class Requirement(BaseModel):
    """A quantity of one component."""

    sku: str
    quantity: DecimalValue


class TaskProgress(BaseModel):
    """An operation of the order as operations reported it."""

    model_config = ConfigDict(from_attributes=True)

    task_id: str
    sequence: int
    work_center: str
    started_at: datetime | None
    completed_at: datetime | None
    good_quantity: DecimalValue | None
    scrap_quantity: DecimalValue | None
    worked_minutes: DecimalValue | None


class Progress(BaseModel):
    """How far the shop floor is with the order."""

    operations_started: int
    operations_completed: int
    last_operation_completed: bool = Field(description="The routing's last operation is done.")
    reported_good_quantity: DecimalValue = Field(
        description="Good quantity of the last operation completed so far."
    )
    worked_minutes: DecimalValue
    tasks: list[TaskProgress]


class OrderRead(BaseModel):
    """A production order."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    number: str
    product_sku: str
    quantity: DecimalValue
    due_date: date
    priority: int
    warehouse: str
    status: OrderStatus
    materials_status: MaterialsStatus
    shortages: list[Shortage]
    reservation_id: str | None
    reservation_attempts: int = Field(description="How many times inventory was asked.")
    bom_id: str | None
    bom_version: int | None
    components: list[Requirement]
    good_quantity: DecimalValue
    scrap_quantity: DecimalValue
    lot: str | None
    unit_cost: DecimalValue | None
    cancel_reason: str | None
    progress: Progress
    version: int
    created_at: datetime
    updated_at: datetime
    released_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    late_notified_at: datetime | None = Field(
        None,
        description="When `production.order.late` was published for the order (once): its due "
        "date passed while it was open, or a stored schedule finishes it after the due date.",
    )


class ReservationConfirmedSeen(BaseModel):
    """What production reads of inventory's confirmed reservation."""

    model_config = ConfigDict(extra="ignore")

    reservation_id: str
    reference: str | None = None


class ReservationRejectedSeen(BaseModel):
    """What production reads of inventory's rejected reservation."""

    model_config = ConfigDict(extra="ignore")

    reference: str | None = None
    shortages: list[Shortage] = []


class TaskStartedSeen(BaseModel):
    """What production reads of operations' task start."""

    model_config = ConfigDict(extra="ignore")

    task_id: str
    order_id: str
    sequence: int
    work_center: str = ""
    started_at: datetime


class TaskReportedSeen(BaseModel):
    """What production reads of operations' partial report: the task's totals so far."""

    model_config = ConfigDict(extra="ignore")

    task_id: str
    order_id: str
    sequence: int
    work_center: str = ""
    total_good: DecimalValue
    total_scrap: DecimalValue


class TaskCorrectedSeen(BaseModel):
    """What production reads of operations' correction of a completed task."""

    model_config = ConfigDict(extra="ignore")

    task_id: str
    order_id: str
    sequence: int
    work_center: str = ""
    good_quantity: DecimalValue
    scrap_quantity: DecimalValue
    last_operation: bool = False


class TaskCompletedSeen(TaskStartedSeen):
    """What production reads of operations' task completion."""

    completed_at: datetime
    good_quantity: DecimalValue = Decimal(0)
    scrap_quantity: DecimalValue = Decimal(0)
    worked_minutes: DecimalValue = Decimal(0)
    cost_per_hour: DecimalValue | None = None
    last_operation: bool = False
