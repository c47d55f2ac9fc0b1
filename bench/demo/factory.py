"""The bicycle factory: departments, work centers with two shifts, items, BOMs three levels
deep, routings, suppliers and opening stock."""

from __future__ import annotations

from typing import Any

TWO_SHIFTS = {
    "timezone": "UTC",
    "shifts": [
        {"weekday": day, "start": start, "end": end}
        for day in range(5)
        for start, end in (("06:00", "14:00"), ("14:00", "22:00"))
    ],
    "holidays": [],
    "exceptions": [],
}

DEPARTMENTS = [
    {"code": "FAB", "name": "Frame fabrication"},
    {"code": "ASSY", "name": "Assembly"},
    {"code": "QA", "name": "Quality"},
    {"code": "MAINT", "name": "Maintenance"},
    {"code": "MAT", "name": "Material handling"},
    {"code": "ENG", "name": "Engineering"},
]

WORK_CENTERS = [
    {"code": "SAW", "name": "Tube saw", "department": "FAB", "capacity": 1, "cost_per_hour": "45"},
    {
        "code": "WELD",
        "name": "Welding cell",
        "department": "FAB",
        "capacity": 1,
        "cost_per_hour": "60",
    },
    {
        "code": "PAINT",
        "name": "Paint booth",
        "department": "FAB",
        "capacity": 1,
        "cost_per_hour": "50",
    },
    {
        "code": "WHEEL",
        "name": "Wheel truing",
        "department": "ASSY",
        "capacity": 1,
        "cost_per_hour": "40",
    },
    {
        "code": "ASSY",
        "name": "Final assembly",
        "department": "ASSY",
        "capacity": 2,
        "cost_per_hour": "40",
    },
]


def _item(sku: str, name: str, kind: str, uom: str, cost: str, **extra: Any) -> dict[str, Any]:
    return {"sku": sku, "name": name, "kind": kind, "uom": uom, "standard_cost": cost, **extra}


ITEMS = [
    _item(
        "TUBE-AL",
        "Aluminium tube 6061",
        "raw",
        "m",
        "6",
        reorder_point="20",
        reorder_quantity="100",
        lead_time_days=3,
    ),
    _item("PAINT-BLUE", "Powder coat, blue", "raw", "kg", "12", lead_time_days=2),
    _item("BOLT-M5", "Bolt M5", "raw", "pc", "0.05", lead_time_days=2),
    _item("RIM-28", "Rim 28 inch", "raw", "pc", "9", lead_time_days=2),
    _item("SPOKE", "Spoke", "raw", "pc", "0.2", lead_time_days=2),
    _item("TIRE-28", "Tyre 28 inch", "raw", "pc", "11", lead_time_days=2),
    _item("SADDLE", "Saddle", "raw", "pc", "15", lead_time_days=2),
    _item("CHAIN", "Chain", "raw", "pc", "8", lead_time_days=2),
    _item("FRAME-RAW", "Welded frame", "component", "pc", "0"),
    _item("FRAME", "Painted frame", "component", "pc", "0"),
    _item("WHEEL-28", "Wheel 28 inch", "component", "pc", "0"),
    _item("BIKE-CITY", "City bike", "finished", "pc", "0"),
]

BOMS = [
    {
        "product_sku": "FRAME-RAW",
        "components": [
            {"sku": "TUBE-AL", "quantity": "4.5", "scrap_factor": "0.02"},
            {"sku": "BOLT-M5", "quantity": "4"},
        ],
    },
    {
        "product_sku": "FRAME",
        "components": [
            {"sku": "FRAME-RAW", "quantity": "1"},
            {"sku": "PAINT-BLUE", "quantity": "0.3"},
        ],
    },
    {
        "product_sku": "WHEEL-28",
        "components": [
            {"sku": "RIM-28", "quantity": "1"},
            {"sku": "SPOKE", "quantity": "32"},
            {"sku": "TIRE-28", "quantity": "1"},
        ],
    },
    {
        "product_sku": "BIKE-CITY",
        "components": [
            {"sku": "FRAME", "quantity": "1"},
            {"sku": "WHEEL-28", "quantity": "2"},
            {"sku": "SADDLE", "quantity": "1"},
            {"sku": "CHAIN", "quantity": "1"},
            {"sku": "BOLT-M5", "quantity": "10"},
        ],
    },
]


def _ops(*steps: tuple[int, str, int, int]) -> list[dict[str, Any]]:
    return [
        {"sequence": s, "work_center": wc, "setup_minutes": setup, "run_minutes_per_unit": run}
        for s, wc, setup, run in steps
    ]


ROUTINGS = [
    {"product_sku": "FRAME-RAW", "operations": _ops((10, "SAW", 15, 6), (20, "WELD", 20, 25))},
    {"product_sku": "FRAME", "operations": _ops((10, "PAINT", 30, 12))},
    {"product_sku": "WHEEL-28", "operations": _ops((10, "WHEEL", 10, 15))},
    {"product_sku": "BIKE-CITY", "operations": _ops((10, "ASSY", 15, 30))},
]

INSPECTION_PLANS = [
    {
        "product_sku": "BIKE-CITY",
        "sample_size": 2,
        "characteristics": [
            {"name": "brake force", "unit": "N", "lower_limit": "300", "upper_limit": "600"}
        ],
    },
]

SUPPLIERS = [
    {
        "code": "ALU",
        "name": "Alu Tubes GmbH",
        "lead_time_days": 3,
        "items": [("TUBE-AL", "6", "50")],
    },
    {
        "code": "COLOR",
        "name": "Colorama",
        "lead_time_days": 2,
        "items": [("PAINT-BLUE", "12", "5")],
    },
    {
        "code": "VELO",
        "name": "Velo Parts",
        "lead_time_days": 2,
        "items": [
            ("BOLT-M5", "0.05", "100"),
            ("RIM-28", "9", "10"),
            ("SPOKE", "0.2", "100"),
            ("TIRE-28", "11", "10"),
            ("SADDLE", "15", "5"),
            ("CHAIN", "8", "5"),
        ],
    },
]

OPENING_STOCK = [
    ("TUBE-AL", "60"),
    ("PAINT-BLUE", "4"),
    ("BOLT-M5", "150"),
    ("RIM-28", "10"),
    ("SPOKE", "300"),
    ("TIRE-28", "10"),
    ("SADDLE", "8"),
    ("CHAIN", "8"),
]

CUSTOMERS = [
    ("Velo Shop Lyon", "12 rue Mercière, Lyon", 4, 3),
    ("Cycles Nord", "3 Grote Markt, Gent", 6, 5),
    ("Bike Bar Berlin", "Torstraße 1, Berlin", 3, 6),
]
"""(customer, ship to, bikes, due in days)"""
