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
