"""Standard cost roll-up on a three-level BOM and an order's variance, against a hand calculation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from services.production.catalog.models import KnownItem, KnownWorkCenter
from services.production.domain.bom import BomSpec, ComponentSpec
from services.production.domain.costing import Cost, CostModel, RoutingStep, order_standard, roll_up
from shared.db import new_id
from shared.events import DomainEvent
from shared.testing.producer import produce
from shared.testing.stack import ServiceClient, Stack, eventually

D = Decimal


def bike_model() -> CostModel:
    """BIKE = 2 WHEEL + FRAME; WHEEL = RIM + 36 SPOKE (5 % scrap); FRAME = 3 TUBE."""
    return CostModel(
        standard_costs={"RIM": D(8), "SPOKE": D("0.10"), "TUBE": D(5), "WHEEL": D(999)},
        boms={
            "BIKE": BomSpec("BIKE", [ComponentSpec("WHEEL", D(2)), ComponentSpec("FRAME", D(1))]),
            "WHEEL": BomSpec(
                "WHEEL", [ComponentSpec("RIM", D(1)), ComponentSpec("SPOKE", D(36), D("0.05"))]
            ),
            # Made in pairs: 6 tubes for 2 frames.
            "FRAME": BomSpec("FRAME", [ComponentSpec("TUBE", D(6))], output_quantity=D(2)),
        },
        routings={
            "BIKE": [RoutingStep("ASSY", D(30), D(20))],
            "WHEEL": [RoutingStep("LACE", D(0), D(15))],
            "FRAME": [RoutingStep("WELD", D(60), D(30))],
        },
        hourly_costs={"ASSY": D(60), "LACE": D(40), "WELD": D(90)},
        overhead_rate=D("0.5"),
    )


def test_standard_cost_rolls_up_material_labour_and_overhead_through_three_levels() -> None:
    lines = roll_up(bike_model(), "BIKE", D(10))
    # WHEEL x20: rims 20 x 8 = 160, spokes 20 x 36 x 1.05 = 756 x 0.10 = 75.6;
    #   lacing 20 x 15 = 300 min at 40/h = 200, overhead 100.
    # FRAME x10: tubes 30 x 5 = 150; welding 60 + 10 x 30 = 360 min at 90/h = 540, overhead 270.
    # BIKE x10: assembly 30 + 10 x 20 = 230 min at 60/h = 230, overhead 115.
    assert [(x.level, x.sku, x.quantity) for x in lines] == [
        (0, "BIKE", 10),
        (1, "WHEEL", 20),
        (2, "RIM", 20),
        (2, "SPOKE", D("756")),
        (1, "FRAME", 10),
        (2, "TUBE", 30),
    ]
    bike, wheel, _, spoke, frame, _ = lines
    assert spoke.own == Cost(material=D("75.6"))
    assert wheel.own == Cost(D(0), D(200), D(100))
    assert wheel.total == Cost(D("235.6"), D(200), D(100))
    assert frame.total == Cost(D(150), D(540), D(270))
    assert bike.own == Cost(D(0), D(230), D(115))
    assert bike.total == Cost(D("385.6"), D(970), D(485))
    assert bike.total.total == D("1840.6")


def test_an_order_standard_values_its_components_at_their_full_standard_cost() -> None:
    model = bike_model()
    # Wheels: 535.6 for 20 = 26.78 each; frames: 960 for 10 = 96 each.
    standard = order_standard(model, "BIKE", D(10), {"WHEEL": D("26.78"), "FRAME": D(96)})
    assert standard == Cost(D("1495.6"), D(230), D(115))
    assert standard.total == roll_up(model, "BIKE", D(10))[0].total.total
    actual = Cost(D(1540), D(250), D(125))
    assert actual - standard == Cost(D("44.4"), D(20), D(10))


class MovementRecorded(DomainEvent):
    event_type: ClassVar[str] = "inventory.movement.recorded"
    movement_id: str
    kind: str
    sku: str
    quantity: str
    warehouse: str = "MAIN"
    unit_cost: str
    value: str
    reference: str | None = None
    recorded_by: str = "clerk"
    recorded_at: str = "2026-01-05T10:00:00Z"


class TaskCompleted(DomainEvent):
    event_type: ClassVar[str] = "operations.task.completed"
    task_id: str
    order_id: str
    sequence: int
    work_center: str
    started_at: str = "2026-01-05T08:00:00Z"
    completed_at: str = "2026-01-05T12:10:00Z"
    good_quantity: str
    scrap_quantity: str = "0"
    worked_minutes: str
    cost_per_hour: str
    last_operation: bool = True


async def bike_catalogue(production: ServiceClient) -> None:
    """The model above, published through the API (items and work centers as their views)."""
    async with production.app.state.database.transaction() as session:
        for sku, cost in (
            ("BIKE", 0),
            ("WHEEL", 999),
            ("FRAME", 0),
            ("RIM", 8),
            ("SPOKE", "0.1"),
            ("TUBE", 5),
        ):
            session.add(
                KnownItem(
                    sku=sku,
                    name=sku,
                    uom="ea",
                    kind="component",
                    standard_cost=D(cost),
                    lead_time_days=0,
                    safety_stock=D(0),
                    reorder_point=D(0),
                    reorder_quantity=D(0),
                    lot_tracked=False,
                    source_sequence=1,
                )
            )
        for code, rate in (("ASSY", 60), ("LACE", 40), ("WELD", 90)):
            session.add(
                KnownWorkCenter(
                    code=code,
                    name=code,
                    department=None,
                    capacity=1,
                    cost_per_hour=D(rate),
                    calendar=None,
                    version=1,
                    source_sequence=1,
                )
            )
    for product, lines, output in (
        ("BIKE", [("WHEEL", "2", "0"), ("FRAME", "1", "0")], "1"),
        ("WHEEL", [("RIM", "1", "0"), ("SPOKE", "36", "0.05")], "1"),
        ("FRAME", [("TUBE", "6", "0")], "2"),
    ):
        response = await production.post(
            "/api/v1/boms",
            json={
                "product_sku": product,
                "output_quantity": output,
                "effective_from": "2020-01-01",
                "components": [{"sku": s, "quantity": q, "scrap_factor": f} for s, q, f in lines],
            },
        )
        assert response.status_code == 201, response.text
    for product, center, setup, run in (
        ("BIKE", "ASSY", 30, 20),
        ("WHEEL", "LACE", 0, 15),
        ("FRAME", "WELD", 60, 30),
    ):
        response = await production.post(
            "/api/v1/routings",
            json={
                "product_sku": product,
                "effective_from": "2020-01-01",
                "operations": [
                    {
                        "sequence": 10,
                        "work_center": center,
                        "setup_minutes": setup,
                        "run_minutes_per_unit": run,
                    }
                ],
            },
        )
        assert response.status_code == 201, response.text


def amounts(cost: dict[str, str]) -> tuple[str, str, str, str]:
    return cost["material"], cost["labour"], cost["overhead"], cost["total"]


async def test_standard_and_actual_costs_over_http(stack: Stack) -> None:
    (production,) = await stack.start("production")
    await bike_catalogue(production)
    rolled = await production.get("/api/v1/products/BIKE/standard-cost", params={"quantity": 10})
    assert rolled.status_code == 200, rolled.text
    body = rolled.json()
    assert amounts(body["total"]) == ("385.6", "970", "485", "1840.6")
    assert amounts(body["unit_cost"]) == ("38.56", "97", "48.5", "184.06")
    assert [(x["level"], x["sku"], x["quantity"]) for x in body["lines"]] == [
        (0, "BIKE", "10"),
        (1, "WHEEL", "20"),
        (2, "RIM", "20"),
        (2, "SPOKE", "756"),
        (1, "FRAME", "10"),
        (2, "TUBE", "30"),
    ]
    assert (await production.get("/api/v1/products/NOPE/standard-cost")).status_code == 404

    created = await production.post(
        "/api/v1/orders", json={"product_sku": "BIKE", "quantity": "10", "due_date": "2026-12-15"}
    )
    assert created.status_code == 201, created.text
    order = created.json()["id"]
    issue = "issue"
    await produce(
        production,
        "inventory",
        [
            (
                MovementRecorded(
                    movement_id="M1",
                    kind=issue,
                    sku="WHEEL",
                    quantity="20",
                    unit_cost="27",
                    value="540",
                    reference=order,
                ),
                "WHEEL",
                new_id(),
                1,
            ),
            (
                MovementRecorded(
                    movement_id="M2",
                    kind=issue,
                    sku="FRAME",
                    quantity="10",
                    unit_cost="100",
                    value="1000",
                    reference=order,
                ),
                "FRAME",
                new_id(),
                1,
            ),
            (
                MovementRecorded(
                    movement_id="M3",
                    kind=issue,
                    sku="FRAME",
                    quantity="1",
                    unit_cost="100",
                    value="100",
                    reference="another",
                ),
                "FRAME",
                new_id(),
                2,
            ),
            (
                MovementRecorded(
                    movement_id="M4",
                    kind="receipt",
                    sku="BIKE",
                    quantity="10",
                    unit_cost="1",
                    value="10",
                    reference=order,
                ),
                "BIKE",
                new_id(),
                1,
            ),
        ],
    )
    await produce(
        production,
        "operations",
        [
            (
                TaskCompleted(
                    task_id="T1",
                    order_id=order,
                    sequence=10,
                    work_center="ASSY",
                    good_quantity="10",
                    worked_minutes="250",
                    cost_per_hour="60",
                ),
                "T1",
                new_id(),
                1,
            )
        ],
    )

    async def costed() -> dict[str, Any] | None:
        body = (await production.get(f"/api/v1/orders/{order}/costs")).json()
        done = body["actual"]["material"] == "1540" and body["actual"]["labour"] == "250"
        return body if done else None

    costs = await eventually(costed, timeout=30)
    # Standard: wheels 20 x 26.78 + frames 10 x 96 = 1495.6, assembly 230, overhead 115.
    assert costs["quantity"] == "10"
    assert amounts(costs["standard"]) == ("1495.6", "230", "115", "1840.6")
    assert amounts(costs["actual"]) == ("1540", "250", "125", "1915")
    assert amounts(costs["variance"]) == ("44.4", "20", "10", "74.4")
    assert (await production.get("/api/v1/orders/nope/costs")).status_code == 404
