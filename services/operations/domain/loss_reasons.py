"""Why a work center did not work: how recorded downtime counts among the loss reasons.

The plant's loss reasons themselves are a table (`services/operations/losses`), which a plant
extends; a new one starts with breakdown, material, setup, quality, break and other.
"""

from __future__ import annotations

DOWNTIME_REASONS: dict[str, str] = {"breakdown": "breakdown", "planned": "planned_downtime"}
"""The loss a recorded downtime counts as, by its kind."""
