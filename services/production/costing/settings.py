"""The costing settings production adds to the shared ones."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CostingSettings(BaseSettings):
    """`PLANTLINE_PRODUCTION_OVERHEAD_RATE`: overhead as a fraction of conversion cost."""

    model_config = SettingsConfigDict(env_prefix="PLANTLINE_PRODUCTION_", extra="ignore")

    overhead_rate: Decimal = Field(
        Decimal("0.5"), ge=0, description="Overhead per unit of work-center cost: 0.5 adds 50 %."
    )
