"""The records production checks references against, and their owners to ask on a view miss."""

from __future__ import annotations

from collections.abc import Iterable

from services.production.catalog.models import KnownItem, KnownWorkCenter
from services.production.catalog.service import WorkCenterSeen, keep_work_center
from shared.dependencies import Transactions
from shared.item_view import items_owned_by_inventory
from shared.owner_lookup import OwnedRecords, learn_missing

ITEMS = items_owned_by_inventory(KnownItem)

WORK_CENTERS = OwnedRecords(
    noun="work center",
    owner="operations",
    path="/api/v1/work-centers/{key}",
    scopes="operations:read",
    key=KnownWorkCenter.code,
    seen=WorkCenterSeen,
    keep=keep_work_center,
)


async def learn_items(tx: Transactions, skus: Iterable[str]) -> None:
    """Learn from inventory the items production has not heard of yet (503 if it cannot say)."""
    await learn_missing(tx, ITEMS, skus)


async def learn_work_centers(tx: Transactions, codes: Iterable[str]) -> None:
    """Learn from operations the work centers production has not heard of yet (503 likewise)."""
    await learn_missing(tx, WORK_CENTERS, codes)
