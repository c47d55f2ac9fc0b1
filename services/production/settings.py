"""The settings production adds to the shared ones (costing keeps its own in costing/)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ProductionSettings(BaseSettings):
    """`PLANTLINE_PRODUCTION_LATE_ORDER_CHECK_SECONDS`: how often open orders are checked for a
    due date that passed."""

    model_config = SettingsConfigDict(env_prefix="PLANTLINE_PRODUCTION_", extra="ignore")

    late_order_check_seconds: float = Field(
        60, gt=0, description="Seconds between two checks for open orders past their due date."
    )
