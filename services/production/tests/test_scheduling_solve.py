from pathlib import Path

from services.production.domain.scheduling.jssp import parse_jssp
from shared.testing.stack import Stack

FT06 = Path(__file__).resolve().parents[3] / "bench" / "jssp" / "instances" / "ft06.txt"


async def test_what_if_solve_returns_ft06_at_its_optimum(sqlite_stack: Stack) -> None:
    (production,) = await sqlite_stack.start("production")
    problem = parse_jssp(FT06.read_text())
    body = {
        "machines": problem.machines,
        "jobs": [
            {
                "id": job.id,
                "operations": [
                    {"machine": o.machine, "duration": o.duration} for o in job.operations
                ],
            }
            for job in problem.jobs
        ],
        "objective": "makespan",
        "time_limit_seconds": 10,
    }
    response = await production.post("/api/v1/scheduling/solve", json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["status"] == "optimal"
    assert answer["makespan"] == 55
    assert answer["lower_bound"] == 55
    assert [job["id"] for job in answer["jobs"]] == [job.id for job in problem.jobs]


async def test_bad_what_if_input_is_a_clear_422(sqlite_stack: Stack) -> None:
    (production,) = await sqlite_stack.start("production")
    good_job = {"id": "J1", "operations": [{"machine": "M1", "duration": 5}]}
    cases = [
        {"machines": ["M1"], "jobs": [{"id": "J1", "operations": []}]},
        {"machines": ["M1"], "jobs": []},
        {
            "machines": ["M1"],
            "jobs": [{"id": "J1", "operations": [{"machine": "M9", "duration": 5}]}],
        },
        {
            "machines": ["M1"],
            "jobs": [{"id": "J1", "operations": [{"machine": "M1", "duration": -5}]}],
        },
        {"machines": ["M1"], "jobs": [good_job, good_job]},
        {"machines": ["M1"], "jobs": [good_job], "time_limit_seconds": 100000},
        {
            "machines": ["M1"],
            "jobs": [
                {"id": f"J{i}", "operations": [{"machine": "M1", "duration": 1}] * 10}
                for i in range(300)
            ],
        },
    ]
    for body in cases:
        response = await production.post("/api/v1/scheduling/solve", json=body)
        assert response.status_code == 422, (body, response.text)
    unknown = await production.post("/api/v1/scheduling/solve", json=cases[2])
    assert unknown.json()["unknown_machines"] == ["M9"]


async def test_machines_may_be_numbered_and_counted_as_well_as_named(sqlite_stack: Stack) -> None:
    (production,) = await sqlite_stack.start("production")
    jobs = [
        {"id": "J1", "operations": [{"machine": 0, "duration": 3}, {"machine": 1, "duration": 2}]},
        {
            "id": "J2",
            "operations": [{"machine": 1, "duration": 4}, {"machine": "0", "duration": 1}],
        },
    ]
    counted: list[object] = [2, [0, 1], [{"name": 0}, {"name": 1, "capacity": 1}]]
    for machines in counted:
        response = await production.post(
            "/api/v1/scheduling/solve",
            json={"machines": machines, "jobs": jobs, "time_limit_seconds": 5},
        )
        assert response.status_code == 200, (machines, response.text)
        answer = response.json()
        assert answer["makespan"] == 6
        placed = {job["id"]: [op["machine"] for op in job["operations"]] for job in answer["jobs"]}
        assert placed == {"J1": [0, 1], "J2": [1, 0]}
    beyond = await production.post(
        "/api/v1/scheduling/solve",
        json={"machines": 2, "jobs": [{"id": "J1", "operations": [{"machine": 2, "duration": 1}]}]},
    )
    assert beyond.status_code == 422
    assert beyond.json()["unknown_machines"] == [2]
    for bad in ({"machine": True, "duration": 1}, {"machine": 1.5, "duration": 1}):
        response = await production.post(
            "/api/v1/scheduling/solve",
            json={"machines": 2, "jobs": [{"id": "J1", "operations": [bad]}]},
        )
        assert response.status_code == 422, (bad, response.text)
    doubtful: list[object] = [0, [0, "0"]]
    for machines in doubtful:
        response = await production.post(
            "/api/v1/scheduling/solve", json={"machines": machines, "jobs": jobs}
        )
        assert response.status_code == 422, (machines, response.text)
