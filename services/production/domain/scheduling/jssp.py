"""Reader of the classic job-shop instance format (n m, then per job: machine duration pairs)."""

from services.production.domain.scheduling.model import Job, Operation, Problem


def parse_jssp(text: str) -> Problem:
    """Parse an instance: comment lines start with '#'; machines are numbered from 0."""
    numbers = [
        int(token)
        for line in text.splitlines()
        if not line.startswith("#")
        for token in line.split()
    ]
    n_jobs, n_machines = numbers[0], numbers[1]
    values = numbers[2:]
    jobs = []
    for j in range(n_jobs):
        row = values[j * 2 * n_machines : (j + 1) * 2 * n_machines]
        ops = tuple(Operation(f"M{row[k]}", row[k + 1]) for k in range(0, len(row), 2))
        jobs.append(Job(f"J{j}", ops))
    return Problem(tuple(jobs), {f"M{m}": 1 for m in range(n_machines)})
