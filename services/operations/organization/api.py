"""HTTP routes of departments and teams."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from services.operations.organization import service
from services.operations.organization.schemas import (
    DepartmentCreate,
    DepartmentRead,
    TeamCreate,
    TeamRead,
)
from shared.auth import require_scope
from shared.dependencies import Page, PageDep, ReadSessionDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["organization"])
READ = [require_scope("operations:read")]
WRITE = [require_scope("operations:write")]


@router.post(
    "/departments",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    response_model=DepartmentRead,
)
async def create_department(
    data: DepartmentCreate, session: SessionDep, response: Response
) -> DepartmentRead:
    """Add a department; 409 if the code exists."""
    department = await service.create_department(session, data)
    response.headers["Location"] = f"/api/v1/departments/{department.code}"
    return DepartmentRead.model_validate(department)


@router.get("/departments", dependencies=READ, response_model=Page[DepartmentRead])
async def list_departments(session: ReadSessionDep, page: PageDep) -> Page[DepartmentRead]:
    """List departments by code, a page at a time."""
    departments, total = await service.list_departments(session, page)
    return Page.of([DepartmentRead.model_validate(d) for d in departments], total, page)


@router.get("/departments/{code}", dependencies=READ, response_model=DepartmentRead)
async def get_department(code: str, session: ReadSessionDep) -> DepartmentRead:
    """One department."""
    return DepartmentRead.model_validate(await service.get_department(session, code))


@router.post(
    "/teams", status_code=status.HTTP_201_CREATED, dependencies=WRITE, response_model=TeamRead
)
async def create_team(data: TeamCreate, session: SessionDep, response: Response) -> TeamRead:
    """Add a team with its members and their skills; 422 if the department is unknown."""
    team = await service.create_team(session, data)
    response.headers["Location"] = f"/api/v1/teams/{team.code}"
    return TeamRead.model_validate(team)


@router.get("/teams", dependencies=READ, response_model=Page[TeamRead])
async def list_teams(
    session: ReadSessionDep,
    page: PageDep,
    department: Annotated[
        str | None, Query(max_length=64, description="Only this department's teams.")
    ] = None,
    skill: Annotated[
        str | None, Query(max_length=100, description="Only teams with a member of this skill.")
    ] = None,
) -> Page[TeamRead]:
    """List teams, filtered by department or skill."""
    teams, total = await service.list_teams(session, page, department, skill)
    return Page.of([TeamRead.model_validate(t) for t in teams], total, page)


@router.get("/teams/{code}", dependencies=READ, response_model=TeamRead)
async def get_team(code: str, session: ReadSessionDep) -> TeamRead:
    """One team with its members."""
    return TeamRead.model_validate(await service.get_team(session, code))
