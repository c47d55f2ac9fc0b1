"""A working week: customer orders, MRP, purchasing, production level by level with a
schedule, a breakdown and its re-plan, execution task by task, inspection, shipping."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench.demo import factory
from bench.demo.api import DemoError, Plant, until

LEVELS = [["FRAME-RAW", "WHEEL-28"], ["FRAME"], ["BIKE-CITY"]]
"""Make items from the lowest level up: an order can only reserve what the level below made."""


@dataclass
class Week:
    """What the week produced, for the summary."""

    started: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    delivery_orders: list[dict[str, Any]] = field(default_factory=list)
    production_orders: list[dict[str, Any]] = field(default_factory=list)
    purchase_orders: list[dict[str, Any]] = field(default_factory=list)
    schedules: list[dict[str, Any]] = field(default_factory=list)
    replanned: dict[str, Any] | None = None
    shipments: list[dict[str, Any]] = field(default_factory=list)
    partial_reports: int = 0
    corrections: int = 0
    refused_starts: int = 0


async def take_customer_orders(plant: Plant, week: Week, say: Callable[[str], None]) -> None:
    """Each customer orders bikes, due later in the week."""
    today = datetime.now(UTC).date()
    for customer, ship_to, bikes, due_in in factory.CUSTOMERS:
        order = await plant.post(
            "logistics",
            "/api/v1/delivery-orders",
            {
                "customer": customer,
                "ship_to": ship_to,
                "due_date": (today + timedelta(days=due_in)).isoformat(),
                "lines": [{"sku": "BIKE-CITY", "quantity": str(bikes)}],
            },
        )
        week.delivery_orders.append(order)
        say(f"{order['number']}: {customer} orders {bikes} bikes, due in {due_in} days")


async def plan_materials(
    plant: Plant, week: Week, say: Callable[[str], None]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run MRP until it sees the customer demand; returns its planned orders."""
    wanted = sum(Decimal(str(o["lines"][0]["quantity"])) for o in week.delivery_orders)

    async def run_sees_demand() -> dict[str, Any] | None:
        run = await plant.post("production", "/api/v1/mrp/runs", {"horizon_days": 21})
        made = sum(
            Decimal(str(p["quantity"]))
            for p in run["planned_orders"]
            if p["sku"] == "BIKE-CITY" and p["kind"] == "make"
        )
        return run if made >= wanted else None

    run = await until("MRP to see the customer orders", run_sees_demand)
    planned = run["planned_orders"]
    makes = [p for p in planned if p["kind"] == "make"]
    buys = [p for p in planned if p["kind"] == "buy"]
    for p in buys:
        say(f"  buy {p['quantity']} {p['sku']} by {p['due_date']}")
    say(
        f"MRP run {run['id'][:8]}: {len(makes)} make and {len(buys)} buy orders, "
        f"{len(run.get('exceptions', []))} exception messages"
    )
    return makes, buys


async def buy_and_receive(
    plant: Plant, week: Week, buys: list[dict[str, Any]], say: Callable[[str], None]
) -> None:
    """Logistics turned the buy lines into draft purchase orders: place and receive them."""
    wanted = {buy["sku"] for buy in buys}

    async def drafts() -> list[dict[str, Any]] | None:
        page = await plant.get("logistics", "/api/v1/purchase-orders", status="draft", limit=100)
        proposed = {line["sku"] for order in page["items"] for line in order["lines"]}
        return page["items"] if proposed >= wanted else None  # type: ignore[no-any-return]

    for order in await until("logistics to propose purchase orders for every buy line", drafts):
        placed = await plant.post("logistics", f"/api/v1/purchase-orders/{order['id']}/place")
        lines = [
            {
                "sku": line["sku"],
                "quantity": str(line["quantity"]),
                "lot": f"{placed['number']}-{line['sku']}",
            }
            for line in placed["lines"]
        ]
        received = await plant.post(
            "logistics",
            f"/api/v1/purchase-orders/{order['id']}/receive",
            {"warehouse": "MAIN", "lines": lines},
        )
        week.purchase_orders.append(received["purchase_order"])
        bought = ", ".join(f"{line['quantity']} {line['sku']}" for line in lines)
        say(f"{placed['number']} to {placed['supplier']}: placed and received {bought}")
        await until(
            f"inventory to book the goods of {placed['number']}",
            lambda receipt=received["receipt"]["id"]: _booked(plant, receipt),
        )


async def _booked(plant: Plant, receipt_id: str) -> bool:
    """Whether inventory has recorded the receipt's movements (it learns of it over events)."""
    page = await plant.get("inventory", "/api/v1/movements", reference=receipt_id, limit=1)
    return bool(page["items"])


async def make_level(
    plant: Plant,
    week: Week,
    makes: list[dict],
    skus: list[str],
    say: Callable[[str], None],
    breakdown: bool,
) -> None:
    """Firm, release, schedule, execute, inspect and complete one BOM level's orders."""
    orders = []
    for planned in (p for p in makes if p["sku"] in skus):
        firmed = await plant.post("production", f"/api/v1/mrp/planned-orders/{planned['id']}/firm")
        orders.append(
            await plant.get("production", f"/api/v1/orders/{firmed['production_order_id']}")
        )
    for order in orders:
        await plant.post("production", f"/api/v1/orders/{order['id']}/release")
    for order in orders:
        reserved = await until(
            f"inventory to reserve the materials of {order['product_sku']}",
            lambda order=order: _materials_settled(plant, order["id"]),
        )
        if reserved["materials_status"] != "reserved":
            raise DemoError(f"order {order['id']} is short: {reserved['shortages']}")
    say(f"{', '.join(skus)}: {len(orders)} orders released, materials reserved")
    schedule = await plant.post(
        "production",
        "/api/v1/schedules",
        {"order_ids": [o["id"] for o in orders], "objective": "tardiness", "time_limit_seconds": 5},
    )
    week.schedules.append(schedule)
    say(
        f"schedule v{schedule['version']}: {schedule['status']}, makespan "
        f"{schedule['makespan_minutes']} min over {len(schedule['operations'])} operations"
    )
    if breakdown:
        schedule = await _break_down(plant, week, schedule, say)
    await _execute(plant, week, schedule, say)
    for order in orders:
        await _inspect_and_complete(plant, order)
        week.production_orders.append(
            await plant.get("production", f"/api/v1/orders/{order['id']}")
        )
    say(f"{', '.join(skus)}: completed and received into stock")


async def _materials_settled(plant: Plant, order_id: str) -> dict[str, Any] | None:
    order = await plant.get("production", f"/api/v1/orders/{order_id}")
    return order if order["materials_status"] in {"reserved", "short"} else None


async def _break_down(
    plant: Plant, week: Week, schedule: dict[str, Any], say: Callable[[str], None]
) -> dict[str, Any]:
    """The welding cell breaks down for two hours during its first operation: re-plan."""
    welding = min(
        (op for op in schedule["operations"] if op["work_center"] == "WELD"),
        key=lambda op: op["start"],
    )
    start = datetime.fromisoformat(welding["start"])
    await plant.post(
        "operations",
        "/api/v1/work-centers/WELD/downtimes",
        {
            "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(),
            "kind": "breakdown",
            "reason": "wire feeder jammed",
        },
    )

    async def replanned() -> dict[str, Any] | None:
        page = await plant.get("production", "/api/v1/schedules", limit=100)
        newer = [s for s in page["items"] if s.get("replaces") == schedule["id"]]
        return newer[0] if newer else None

    newer = await until("production to re-plan after the breakdown", replanned)
    newer = await plant.get("production", f"/api/v1/schedules/{newer['id']}")
    week.replanned = newer
    say(
        f"breakdown on WELD at {start:%a %H:%M}: schedule v{newer['version']} replaces "
        f"v{schedule['version']}, makespan {newer['makespan_minutes']} min"
    )
    return newer


async def _execute(
    plant: Plant, week: Week, schedule: dict[str, Any], say: Callable[[str], None]
) -> None:
    """Operators run every task of the schedule in planned order, each once it is ready: they
    report half of a batch on the way and the rest at completion. On the first level one start
    is tried too early (refused), and one miscount at completion is corrected."""
    centers = sorted({op["work_center"] for op in schedule["operations"]})
    order_ids = {op["order_id"] for op in schedule["operations"]}

    async def dispatched() -> list[dict[str, Any]] | None:
        tasks = []
        for code in centers:
            page = await plant.get(
                "operations", f"/api/v1/work-centers/{code}/dispatch-list", limit=500
            )
            # Only this schedule's tasks: the version it replaced may still be listed until
            # operations has read the newer one.
            tasks += [
                t
                for t in page["items"]
                if t["order_id"] in order_ids
                and t["status"] == "planned"
                and t["schedule_id"] == schedule["id"]
            ]
        return tasks if len(tasks) >= len(schedule["operations"]) else None

    tasks = await until("operations to build the dispatch lists", dispatched)
    ordered = sorted(tasks, key=lambda t: (t["planned_start"], t["sequence"]))
    if not week.refused_starts:
        await _start_too_early(plant, week, ordered, say)
    for task in ordered:
        await until(
            f"task {task['sequence']} of {_order(task)} at {task['work_center']} to be ready",
            lambda task=task: _ready(plant, task),
        )
        path = f"/api/v1/tasks/{task['id']}"
        await plant.post("operations", f"{path}/start", {"operator": f"op-{task['work_center']}"})
        quantity = Decimal(str(task["quantity"]))
        half = (quantity / 2).to_integral_value()
        if 0 < half < quantity:
            await plant.post("operations", f"{path}/report", {"good_quantity": str(half)})
            week.partial_reports += 1
        rest = quantity - half if 0 < half < quantity else quantity
        miscount = not week.corrections and rest > 1
        counted = rest - 1 if miscount else rest
        await plant.post(
            "operations",
            f"{path}/complete",
            {"good_quantity": str(counted), "scrap_quantity": "0"},
        )
        if miscount:
            correction = await plant.post(
                "operations",
                f"{path}/corrections",
                {
                    "good_quantity": str(quantity),
                    "scrap_quantity": "0",
                    "reason": f"Recounted the bin: {quantity} good, one missed at completion",
                },
            )
            week.corrections += 1
            say(
                f"  correction on {_order(task)} at {task['work_center']}: good "
                f"{correction['old_good_quantity']} -> {correction['good_quantity']}"
            )
    say(f"operators ran {len(tasks)} tasks on {', '.join(centers)}")


async def _start_too_early(
    plant: Plant, week: Week, ordered: list[dict[str, Any]], say: Callable[[str], None]
) -> None:
    """An operator tries a second operation before the first has run: the plant refuses."""
    later = [t for t in ordered if t["sequence"] > min(o["sequence"] for o in ordered)]
    if not later:
        return
    task = later[0]
    refused = await plant.post("operations", f"/api/v1/tasks/{task['id']}/start", expect=(409,))
    if not refused["type"].endswith("task-not-ready"):
        raise DemoError(f"expected task-not-ready, got {refused}")
    week.refused_starts += 1
    waits = ", ".join(
        f"operation {w['sequence']} at {w['work_center']} ({w['reported']} of {w['needed']})"
        if w["kind"] == "previous_operation"
        else f"materials {w['materials_status']}"
        for w in refused["waiting_for"]
    )
    say(f"  start of {_order(task)} at {task['work_center']} too early: 409, waits for {waits}")


def _order(task: dict[str, Any]) -> str:
    """The order's number, or its id until operations has heard of the number."""
    return str(task.get("order_number") or task["order_id"][:8])


async def _ready(plant: Plant, task: dict[str, Any]) -> bool:
    """Whether the task's dispatch-list row says it may start (operations learns of the order's
    materials and of the previous operation over events)."""
    page = await plant.get(
        "operations", f"/api/v1/work-centers/{task['work_center']}/dispatch-list", limit=500
    )
    row = next((t for t in page["items"] if t["id"] == task["id"]), None)
    return row is not None and row["readiness"] != "waiting"


async def _inspect_and_complete(plant: Plant, order: dict[str, Any]) -> None:
    if order["product_sku"] in {plan["product_sku"] for plan in factory.INSPECTION_PLANS}:
        measured = [{"characteristic": "brake force", "value": "420"}]
        await plant.post(
            "production",
            "/api/v1/inspections",
            {"order_id": order["id"], "result": "pass", "measurements": measured},
        )
    current = await until(
        f"production to see the tasks of {order['product_sku']} done",
        lambda: _progressed(plant, order["id"]),
    )
    if current["status"] != "completed":
        await plant.post(
            "production",
            f"/api/v1/orders/{order['id']}/complete",
            {
                "good_quantity": str(order["quantity"]),
                "scrap_quantity": "0",
                "lot": f"L-{order['product_sku']}-{order['id'][:6]}",
            },
        )


async def _progressed(plant: Plant, order_id: str) -> dict[str, Any] | None:
    order = await plant.get("production", f"/api/v1/orders/{order_id}")
    return order if order["status"] in {"in_progress", "completed"} else None


async def ship(plant: Plant, week: Week, say: Callable[[str], None]) -> None:
    """Ship every customer order and let the carrier deliver it; the first goes in two parts
    (the customer takes half at once, the backorder follows)."""
    for n, order in enumerate(week.delivery_orders):
        line = order["lines"][0]
        bikes = Decimal(str(line["quantity"]))
        parts: list[list[dict[str, str]] | None] = [None]
        if n == 0 and bikes >= 2:
            half = str((bikes / 2).to_integral_value(rounding="ROUND_FLOOR"))
            parts = [[{"sku": line["sku"], "quantity": half}], None]
        for part_no, lines in enumerate(parts, 1):
            body: dict[str, Any] = {
                "carrier": "DHL",
                "tracking_number": f"JD{order['number'][-6:]}{part_no}",
            }
            if lines is not None:
                body["lines"] = lines
            shipped = await until(
                f"the bikes for {order['customer']} to be available",
                lambda order=order, body=body: plant.post(
                    "logistics", f"/api/v1/delivery-orders/{order['id']}/ship", body
                ),
            )
            shipment_id = shipped.get("shipment_id") or shipped["shipment"]["id"]
            await plant.post(
                "logistics", f"/api/v1/shipments/{shipment_id}/status", {"status": "delivered"}
            )
            shipment = await plant.get("logistics", f"/api/v1/shipments/{shipment_id}")
            week.shipments.append(shipment)
            if len(parts) > 1:
                carried = shipment["lines"][0]["quantity"]
                status = shipped["delivery_order"]["status"]
                say(
                    f"{order['number']} part {part_no}: {carried} of {bikes} bikes shipped and "
                    f"delivered to {order['customer']} (order now {status})"
                )
        if len(parts) == 1:
            say(f"{order['number']} shipped with DHL and delivered to {order['customer']}")
