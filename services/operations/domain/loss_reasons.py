"""Why a work center did not work: the plant's list of availability loss reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LossReasonCode = Literal["breakdown", "material", "setup", "quality", "break", "other"]


@dataclass(frozen=True)
class LossReason:
    """A reason a task is paused or a work center stopped."""

    code: LossReasonCode
    name: str
    description: str


LOSS_REASONS: tuple[LossReason, ...] = (
    LossReason("breakdown", "Breakdown", "The machine failed and waits for maintenance."),
    LossReason("material", "Material", "Material or components missing at the work center."),
    LossReason("setup", "Setup", "Changeover, tooling or adjustment."),
    LossReason("quality", "Quality", "Stopped to sort out a quality problem."),
    LossReason("break", "Break", "The operators' scheduled or unscheduled break."),
    LossReason("other", "Other", "Any other reason; say which in the note."),
)

DOWNTIME_REASONS: dict[str, str] = {"breakdown": "breakdown", "planned": "planned_downtime"}
"""The loss a recorded downtime counts as, by its kind."""
