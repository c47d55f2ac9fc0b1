"""Request and response bodies of the what-if solver."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from shared.numbers import MAX_INT

MAX_OPERATIONS = 2500
MAX_TIME_LIMIT_SECONDS = 120
MAX_MACHINES = 1000

MachineRef = Annotated[
    Annotated[StrictInt, Field(ge=0, le=MAX_INT)]
    | Annotated[str, Field(min_length=1, max_length=64)],
    Field(description='A machine\'s name, or its number (1 and "1" are the same machine).'),
]
"""How a job names a machine: a name or a number, as benchmark instances number them."""


class MachineIn(BaseModel):
    name: MachineRef = Field(description="Machine name or number.", examples=["SAW"])
    capacity: int = Field(default=1, ge=1, le=1000, description="Parallel units.", examples=[1])


class OperationIn(BaseModel):
    machine: MachineRef = Field(description="Machine the operation runs on.", examples=["SAW"])
    duration: int = Field(
        ge=0, le=10_000_000, description="Minutes, non-preemptive.", examples=[39]
    )


class JobIn(BaseModel):
    id: str = Field(min_length=1, description="Job id, unique.", examples=["FRAME-RAW-A"])
    operations: list[OperationIn] = Field(
        min_length=1,
        description="Operations in their precedence order.",
        examples=[[{"machine": "SAW", "duration": 39}, {"machine": "WELD", "duration": 120}]],
    )
    release: int = Field(
        default=0, ge=0, le=MAX_INT, description="Earliest start (minutes).", examples=[0]
    )
    due: int | None = Field(
        default=None, ge=0, le=MAX_INT, description="Due time (minutes).", examples=[120]
    )
    weight: int = Field(
        default=1, ge=1, le=1000, description="Priority weight for tardiness.", examples=[1]
    )


class SolveRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "machines": ["SAW", "WELD"],
                    "jobs": [
                        {
                            "id": "FRAME-RAW-A",
                            "operations": [
                                {"machine": "SAW", "duration": 39},
                                {"machine": "WELD", "duration": 120},
                            ],
                            "release": 0,
                            "due": 240,
                            "weight": 5,
                        },
                        {
                            "id": "FRAME-RAW-B",
                            "operations": [
                                {"machine": "SAW", "duration": 27},
                                {"machine": "WELD", "duration": 70},
                            ],
                            "release": 30,
                            "due": 180,
                            "weight": 3,
                        },
                    ],
                    "objective": "tardiness",
                    "time_limit_seconds": 5,
                }
            ]
        }
    )

    machines: Annotated[int, Field(ge=1, le=MAX_MACHINES)] | list[MachineRef | MachineIn] = Field(
        description="How many machines (numbered from 0), or a list of machine names or numbers, "
        "or of {name, capacity}.",
        examples=[["SAW", "WELD"]],
    )
    jobs: list[JobIn] = Field(min_length=1, description="Jobs to schedule.")
    objective: Literal["makespan", "tardiness"] = Field(
        default="makespan",
        description="makespan, or weighted tardiness with makespan as tie-break.",
    )
    time_limit_seconds: float = Field(
        default=10, gt=0, le=MAX_TIME_LIMIT_SECONDS, description="Solver time limit.", examples=[10]
    )


class PlacedOperation(BaseModel):
    machine: MachineRef = Field(description="Machine, as the request named it.", examples=["M1"])
    start: int = Field(description="Start minute.", examples=[0])
    duration: int = Field(description="Minutes.", examples=[30])


class JobOut(BaseModel):
    id: str = Field(description="Job id.", examples=["J1"])
    operations: list[PlacedOperation] = Field(description="Operations in order.")


class SolveResponse(BaseModel):
    status: Literal["optimal", "feasible"] = Field(description="Proven optimal or only feasible.")
    makespan: int = Field(description="End of the last operation.", examples=[55])
    lower_bound: int = Field(description="Proven bound on the objective.", examples=[55])
    weighted_tardiness: int = Field(description="Sum of weight x lateness.", examples=[0])
    jobs: list[JobOut] = Field(description="Jobs with their placed operations.")
