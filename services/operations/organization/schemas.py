"""Request and response bodies of departments and teams."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$"


class DepartmentCreate(BaseModel):
    """A new department."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"code": "PACK", "name": "Packing and dispatch"}]},
    )

    code: str = Field(pattern=CODE_PATTERN, description="Unique code.", examples=["PACK"])
    name: str = Field(min_length=1, max_length=200, examples=["Packing and dispatch"])


class DepartmentRead(DepartmentCreate):
    """A department as stored."""

    model_config = ConfigDict(from_attributes=True)

    created_at: datetime


class MemberWrite(BaseModel):
    """A person in a team."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    name: str = Field(min_length=1, max_length=200, examples=["Ana Lima"])
    skills: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="What the person is qualified for.",
        examples=[["welding", "forklift"]],
    )


class TeamCreate(BaseModel):
    """A new team of a department."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "code": "MAINT-A",
                    "name": "Maintenance, early shift",
                    "department": "MAINT",
                    "members": [
                        {"name": "Ana Lima", "skills": ["welding", "forklift"]},
                        {"name": "Jonas Berg", "skills": ["electrics"]},
                    ],
                }
            ]
        },
    )

    code: str = Field(pattern=CODE_PATTERN, description="Unique code.", examples=["MAINT-A"])
    name: str = Field(min_length=1, max_length=200, examples=["Maintenance, early shift"])
    department: str = Field(description="Code of an existing department.", examples=["MAINT"])
    members: list[MemberWrite] = Field(default_factory=list, max_length=500)


class TeamRead(TeamCreate):
    """A team as stored."""

    model_config = ConfigDict(from_attributes=True)

    created_at: datetime
