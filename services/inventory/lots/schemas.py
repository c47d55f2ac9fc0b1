"""Response bodies of the lots API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from services.inventory.holds.schemas import HoldRead
from services.inventory.movements.schemas import MovementKind, MovementRead
from services.inventory.stock.schemas import LevelRead
from shared.numbers import DecimalValue

Direction = Literal["up", "down"]


class TracedMovement(BaseModel):
    """A movement that shows where a lot of the tree came from (down) or went (up)."""

    id: str
    kind: MovementKind
    quantity: DecimalValue = Field(description="What the movement moved of this lot.")
    warehouse: str
    reference: str | None = Field(
        description="The receipt, production order or delivery order.", examples=["DO-00012"]
    )
    recorded_at: datetime
    purchase_order_id: str | None = Field(None, description="Purchased receipts: the order.")
    purchase_order_number: str | None = Field(None, examples=["PO-00007"])
    supplier: str | None = Field(None, examples=["ACME"])
    received_at: datetime | None = Field(None, description="Purchased receipts: at the dock.")


class TraceNode(BaseModel):
    """A lot in the genealogy tree."""

    sku: str
    lot: str
    quantity: DecimalValue = Field(
        description="The root: what the lot received. Down: what of this lot went into its "
        "parent. Up: what was made into this lot from its parent."
    )
    reference: str | None = Field(
        None, description="The production order that links the lot to its parent."
    )
    depth: int
    movements: list[TracedMovement] = Field(
        description="Down: the lot's receipts (purchases with their supplier, completions). "
        "Up: the issues and scrap that took it other than into a lot of the tree (deliveries)."
    )
    cycle: bool = Field(False, description="The lot is its own ancestor here; not followed.")
    truncated: bool = Field(False, description="The walk stopped here at the depth bound.")
    children: list[TraceNode]


class TraceEntry(BaseModel):
    """A lot of the tree in the flat list, with its parent."""

    sku: str
    lot: str
    quantity: DecimalValue
    depth: int
    reference: str | None
    parent_sku: str | None
    parent_lot: str | None
    movements: list[TracedMovement]


TRACE_EXAMPLE: dict[str, Any] = {
    "sku": "FRAME-54",
    "lot": "L-FRAME-1",
    "received": "4",
    "issued": "1",
    "on_hand": "3",
    "references": ["MO-00003", "DO-00001"],
    "levels": [],
    "movements": [],
    "holds": [],
    "direction": "down",
    "tree": {
        "sku": "FRAME-54",
        "lot": "L-FRAME-1",
        "quantity": "4",
        "reference": None,
        "depth": 0,
        "movements": [
            {
                "id": "0b6f0c1e-4d7a-4b9e-9f0e-0d3c2a1b4c5d",
                "kind": "receipt",
                "quantity": "4",
                "warehouse": "MAIN",
                "reference": "MO-00003",
                "recorded_at": "2026-12-01T10:00:00Z",
            }
        ],
        "cycle": False,
        "truncated": False,
        "children": [
            {
                "sku": "TUBE-AL",
                "lot": "L-TUBE-7",
                "quantity": "8",
                "reference": "MO-00003",
                "depth": 1,
                "movements": [
                    {
                        "id": "6a1d2c3b-8e9f-4a0b-b1c2-d3e4f5a6b7c8",
                        "kind": "receipt",
                        "quantity": "100",
                        "warehouse": "MAIN",
                        "reference": "8c4b1a2d-0e3f-4a5b-9c6d-7e8f9a0b1c2d",
                        "recorded_at": "2026-11-20T08:30:00Z",
                        "purchase_order_id": "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9",
                        "purchase_order_number": "PO-00007",
                        "supplier": "ACME",
                        "received_at": "2026-11-20T08:30:00Z",
                    }
                ],
                "cycle": False,
                "truncated": False,
                "children": [],
            }
        ],
    },
    "nodes": [
        {
            "sku": "FRAME-54",
            "lot": "L-FRAME-1",
            "quantity": "4",
            "depth": 0,
            "reference": None,
            "parent_sku": None,
            "parent_lot": None,
            "movements": [],
        },
        {
            "sku": "TUBE-AL",
            "lot": "L-TUBE-7",
            "quantity": "8",
            "depth": 1,
            "reference": "MO-00003",
            "parent_sku": "FRAME-54",
            "parent_lot": "L-FRAME-1",
            "movements": [],
        },
    ],
}


class LotTrace(BaseModel):
    """Everything the ledger knows of one lot of an sku, and its genealogy one way."""

    model_config = {"json_schema_extra": {"examples": [TRACE_EXAMPLE]}}

    sku: str
    lot: str
    received: DecimalValue = Field(description="Received into the lot (receipts and gains).")
    issued: DecimalValue = Field(description="Issued, scrapped or lost from the lot.")
    on_hand: DecimalValue
    references: list[str] = Field(description="Orders, receipts and deliveries that moved it.")
    levels: list[LevelRead] = Field(description="Where it is now.")
    movements: list[MovementRead] = Field(description="Every movement of it, oldest first.")
    holds: list[HoldRead]
    direction: Direction = Field(
        "down", description="down: what went into the lot; up: where it went."
    )
    tree: TraceNode = Field(description="The genealogy from this lot, across levels.")
    nodes: list[TraceEntry] = Field(description="The same lots as a flat list, parents first.")
