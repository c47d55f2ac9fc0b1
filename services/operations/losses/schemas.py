"""Response body of the loss reasons."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from services.operations.domain.loss_reasons import LossReasonCode


class LossReasonRead(BaseModel):
    """A reason a task is paused or a work center stopped."""

    model_config = ConfigDict(from_attributes=True)

    code: LossReasonCode
    name: str
    description: str
