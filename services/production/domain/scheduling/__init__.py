"""Finite-capacity scheduling: problem model, dispatching rules, CP-SAT solver, verifier."""

from services.production.domain.scheduling.dispatching import dispatch, first_free_slot
from services.production.domain.scheduling.model import (
    Job,
    Operation,
    Problem,
    Schedule,
    ScheduledOperation,
)
from services.production.domain.scheduling.solver import solve
from services.production.domain.scheduling.verify import verify

__all__ = [
    "Job",
    "Operation",
    "Problem",
    "Schedule",
    "ScheduledOperation",
    "dispatch",
    "first_free_slot",
    "solve",
    "verify",
]
