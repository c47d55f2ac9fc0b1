"""Bodies of the performance reports."""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.numbers import DecimalValue


class OtifRead(BaseModel):
    """On-time in-full figures of one party."""

    deliveries: int = Field(description="Completed deliveries counted.", examples=[12])
    on_time: int = Field(examples=[11])
    in_full: int = Field(examples=[12])
    on_time_in_full: int = Field(examples=[11])
    otif_rate: DecimalValue | None = Field(
        description="on_time_in_full / deliveries, 0..1.", examples=["0.9167"]
    )


class SupplierPerformance(OtifRead):
    """A supplier's purchase orders: complete by the expected date, with every line received in full."""

    supplier: str = Field(examples=["ACME"])


class CustomerPerformance(OtifRead):
    """Deliveries to a customer: delivered by the due date, every line shipped."""

    customer: str = Field(examples=["Velo Shop"])


class DeliveryPerformance(OtifRead):
    """Customer deliveries overall and per customer."""

    customers: list[CustomerPerformance]
