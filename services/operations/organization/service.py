"""Use cases of departments and teams."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.operations.organization.models import Department, Team, TeamMember
from services.operations.organization.schemas import DepartmentCreate, TeamCreate
from shared.db import utcnow
from shared.dependencies import PageParams
from shared.errors import AlreadyExists, InvalidInput
from shared.queries import fetch_page, get_one


async def create_department(session: AsyncSession, data: DepartmentCreate) -> Department:
    """Add a department."""
    if await session.get(Department, data.code) is not None:
        raise AlreadyExists(f"A department with code '{data.code}' exists already.", code=data.code)
    department = Department(code=data.code, name=data.name, created_at=utcnow())
    session.add(department)
    await session.flush()
    return department


async def get_department(session: AsyncSession, code: str) -> Department:
    """A department by code, or NotFound."""
    return await get_one(session, Department, code, f"No department with code '{code}'.", code=code)


async def require_department(session: AsyncSession, code: str) -> None:
    """Refuse input that names a department that does not exist."""
    if await session.get(Department, code) is None:
        raise InvalidInput(f"No department with code '{code}'.", department=code)


async def list_departments(session: AsyncSession, page: PageParams) -> tuple[list[Department], int]:
    """Departments by code, one page, and how many there are."""
    return await fetch_page(session, select(Department), page, Department.code)


async def create_team(session: AsyncSession, data: TeamCreate) -> Team:
    """Add a team with its members to a department."""
    await require_department(session, data.department)
    if await session.get(Team, data.code) is not None:
        raise AlreadyExists(f"A team with code '{data.code}' exists already.", code=data.code)
    team = Team(
        code=data.code,
        name=data.name,
        department=data.department,
        created_at=utcnow(),
        members=[
            TeamMember(position=n, name=m.name, skills=sorted(set(m.skills)))
            for n, m in enumerate(data.members)
        ],
    )
    session.add(team)
    await session.flush()
    return team


async def get_team(session: AsyncSession, code: str) -> Team:
    """A team by code, or NotFound."""
    return await get_one(session, Team, code, f"No team with code '{code}'.", code=code)


async def list_teams(
    session: AsyncSession,
    page: PageParams,
    department: str | None = None,
    skill: str | None = None,
) -> tuple[list[Team], int]:
    """Teams of a department or with a member of a skill, one page, and how many match."""
    query = select(Team)
    if department:
        query = query.where(Team.department == department)
    teams = list((await session.execute(query.order_by(Team.code))).scalars())
    if skill:
        teams = [t for t in teams if any(skill in m.skills for m in t.members)]
    return teams[page.offset : page.offset + page.limit], len(teams)
