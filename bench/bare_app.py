"""The floor to compare our stack with: a bare FastAPI endpoint, same server, no database.

    python -m bench.bare_app PORT

POST /movements validates a body shaped like inventory's movement and answers 201 with an id,
with none of our middleware, auth, database, outbox or events.
"""

from __future__ import annotations

import sys
import uuid
from decimal import Decimal

import uvicorn
from fastapi import FastAPI, status
from pydantic import BaseModel, Field

app = FastAPI()


class Movement(BaseModel):
    """A movement's fields, validated as the real endpoint's are."""

    kind: str = Field(pattern="^(receipt|issue|transfer|adjustment|scrap)$")
    sku: str = Field(min_length=1, max_length=64)
    quantity: Decimal = Field(gt=0, max_digits=18, decimal_places=6)
    warehouse: str = "MAIN"
    unit_cost: Decimal | None = None


class Recorded(Movement):
    """The movement with its id."""

    id: str


@app.post("/movements", status_code=status.HTTP_201_CREATED)
async def record(movement: Movement) -> Recorded:
    """Validate and echo the movement with a new id."""
    return Recorded(id=str(uuid.uuid4()), **movement.model_dump())


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_config=None, access_log=False)
