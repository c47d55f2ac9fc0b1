"""Request and response bodies of the warehouses API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,31}$"


class WarehouseCreate(BaseModel):
    """A new warehouse."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"code": "EAST", "name": "East distribution centre"}]},
    )

    code: str = Field(pattern=CODE_PATTERN, description="Unique warehouse code.", examples=["EAST"])
    name: str = Field(min_length=1, max_length=200, examples=["East distribution centre"])


class WarehouseRead(WarehouseCreate):
    """A warehouse as stored."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra=None)

    created_at: datetime


class LocationCreate(BaseModel):
    """A new location (bin) inside a warehouse."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"code": "A-01-03", "name": "Aisle A, rack 1, shelf 3"}]},
    )

    code: str = Field(
        pattern=CODE_PATTERN, description="Unique within the warehouse.", examples=["A-01-03"]
    )
    name: str = Field("", max_length=200, examples=["Aisle A, rack 1, shelf 3"])


class LocationRead(LocationCreate):
    """A location as stored."""

    model_config = ConfigDict(from_attributes=True)

    warehouse: str
    created_at: datetime
