"""HTTP route of the what-if solver."""

from __future__ import annotations

from fastapi import APIRouter

from services.production.scheduling import service
from services.production.scheduling.schemas import SolveRequest, SolveResponse
from shared.auth import require_scope

router = APIRouter(prefix="/api/v1/scheduling", tags=["scheduling"])


@router.post("/solve", dependencies=[require_scope("production:write")])
async def solve(data: SolveRequest) -> SolveResponse:
    """Schedule raw jobs on machines (CP-SAT warm-started from a dispatching rule); nothing stored.

    422 for unknown or duplicate machines, duplicate job ids, empty jobs, negative durations,
    more than the operation limit or a time limit above the maximum.
    """
    return await service.solve_what_if(data)
