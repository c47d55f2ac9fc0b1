"""Material requirements planning: pure gross-to-net over time buckets, with no I/O."""

from services.production.domain.mrp.engine import plan
from services.production.domain.mrp.forecasts import consume_forecasts
from services.production.domain.mrp.levels import BomCycle, low_level_codes
from services.production.domain.mrp.lots import order_quantity
from services.production.domain.mrp.model import (
    SAFETY_STOCK,
    BomEdge,
    Demand,
    LotSizing,
    MrpException,
    MrpInput,
    MrpResult,
    PlanItem,
    PlannedOrder,
    ScheduledReceipt,
    SupplyKind,
)
from services.production.domain.mrp.supply import SkuSupply, supply_by_sku

__all__ = [
    "SAFETY_STOCK",
    "BomCycle",
    "BomEdge",
    "Demand",
    "LotSizing",
    "MrpException",
    "MrpInput",
    "MrpResult",
    "PlanItem",
    "PlannedOrder",
    "ScheduledReceipt",
    "SkuSupply",
    "SupplyKind",
    "consume_forecasts",
    "low_level_codes",
    "order_quantity",
    "plan",
    "supply_by_sku",
]
