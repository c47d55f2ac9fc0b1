"""Scheduler benchmark: classic job-shop instances and a shop-size case.

    python -m bench.scheduler [--seconds 10] [instance ...]     (default: all instances)
    python -m bench.scheduler --work 4 [instance ...]           (same work on a busy machine)
    python -m bench.scheduler --shop                            (500 orders x 5 ops, 20 centers)

Per instance: our solver (the best dispatching rule bounds the horizon and warm-starts CP-SAT,
whose second worker spends its turns on scheduling neighbourhoods), a plain CP-SAT model (no
hint, horizon = sum of durations, default parameters) and the first-free-slot planner, each
against the known optimum (or best upper bound) in bench/jssp/bounds.json. Both solvers get
the same wall-clock budget, ours including its dispatching. The shop case (work centers on one or
two shifts, Monday to Friday) gives the solver 60 s in all, dispatching included; at that size
CP-SAT re-plans the dispatch schedule a neighbourhood at a time (neighbourhood_search.py).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from services.production.domain.scheduling import (
    Job,
    Operation,
    Problem,
    dispatch,
    first_free_slot,
    solve,
    verify,
)
from services.production.domain.scheduling.jssp import parse_jssp

ROOT = Path(__file__).resolve().parents[1]
JSSP = ROOT / "bench" / "jssp"
DEFAULT = (
    ["ft06", "ft10", "ft20"]
    + [f"la{i:02d}" for i in range(1, 41)]
    + [f"abz{i}" for i in range(5, 10)]
    + [f"orb{i:02d}" for i in range(1, 11)]
)


def gap(value: int, best: int) -> float:
    return 100.0 * (value - best) / best


def run_instances(names: list[str], seconds: float, work: float | None = None) -> None:
    bounds = json.loads((JSSP / "bounds.json").read_text())
    gaps: dict[str, dict[str, list[float]]] = {}
    print(
        f"{'instance':9} {'size':7} {'best':>5} | {'ours':>5} {'gap%':>6} {'st':3} | "
        f"{'plain':>5} {'gap%':>6} | {'ffs':>5} {'gap%':>6}"
    )
    for name in names:
        problem = parse_jssp((JSSP / "instances" / f"{name}.txt").read_text())
        info = bounds[name]
        best = info.get("optimum") or info["upper"]
        size = f"{info['jobs']}x{info['machines']}"
        ours = solve(problem, time_limit_seconds=seconds, work_limit=work)
        plain = solve(problem, time_limit_seconds=seconds, hint=False, plain=True, work_limit=work)
        ffs = first_free_slot(problem)
        for schedule in (ours, plain, ffs):
            assert verify(problem, schedule) == [], name
        row = gaps.setdefault(size, {"ours": [], "plain": [], "ffs": []})
        row["ours"].append(gap(ours.makespan, best))
        row["plain"].append(gap(plain.makespan, best))
        row["ffs"].append(gap(ffs.makespan, best))
        print(
            f"{name:9} {size:7} {best:5} | {ours.makespan:5} {row['ours'][-1]:6.2f} "
            f"{ours.status[:3]:3} | {plain.makespan:5} {row['plain'][-1]:6.2f} | "
            f"{ffs.makespan:5} {row['ffs'][-1]:6.2f}",
            flush=True,
        )
    print("\nmean gap % per size      ours   plain     ffs")
    everything: dict[str, list[float]] = {"ours": [], "plain": [], "ffs": []}
    for size, row in gaps.items():
        for key in everything:
            everything[key] += row[key]
        print(
            f"{size:20} {statistics.mean(row['ours']):7.2f} {statistics.mean(row['plain']):7.2f} "
            f"{statistics.mean(row['ffs']):7.2f}"
        )
    print(
        f"{'all':20} {statistics.mean(everything['ours']):7.2f} "
        f"{statistics.mean(everything['plain']):7.2f} {statistics.mean(everything['ffs']):7.2f}"
    )


DAY = 24 * 60


def shop_calendar(shifts: int, days: int) -> tuple[tuple[int, int], ...]:
    """Closed time of a work center working `shifts` 8-hour shifts from 06:00, Monday to Friday."""
    closed = []
    for day in range(days):
        if day % 7 in (5, 6):
            closed.append((day * DAY, (day + 1) * DAY))
        else:
            closed += [
                (day * DAY, day * DAY + 6 * 60),
                (day * DAY + (6 + 8 * shifts) * 60, (day + 1) * DAY),
            ]
    return tuple(closed)


def shop_case(seconds: float) -> None:
    rng = random.Random(7)
    centers = {f"WC{c:02d}": rng.choice([1, 1, 2]) for c in range(20)}
    names = list(centers)
    calendars = {name: shop_calendar(rng.choice([1, 2, 2]), 120) for name in names}
    jobs = []
    for o in range(500):
        ops = tuple(Operation(rng.choice(names), rng.randint(10, 120)) for _ in range(5))
        release = rng.randint(0, 5 * DAY)
        due = release + rng.randint(2 * DAY, 14 * DAY)
        jobs.append(Job(f"O{o}", ops, release, due, rng.randint(1, 3)))
    problem = Problem(tuple(jobs), centers, calendars)
    due_of = {job.id: job.due or 0 for job in problem.jobs}
    began = time.perf_counter()
    rule = dispatch(problem, "tardiness")
    rule_time = time.perf_counter() - began
    began = time.perf_counter()
    ours = solve(problem, "tardiness", time_limit_seconds=seconds)
    elapsed = time.perf_counter() - began
    ffs = first_free_slot(problem)
    for schedule in (rule, ours, ffs):
        assert verify(problem, schedule) == []
    late = sum(1 for job, end in ours.job_ends().items() if end > due_of[job])
    print(
        f"shop 500 orders x 5 ops on 20 centers with calendars, budget {seconds:.0f}s:\n"
        f"  dispatching rule {rule_time:.1f}s: weighted tardiness "
        f"{rule.weighted_tardiness(problem)}, makespan {rule.makespan} min\n"
        f"  ours {elapsed:.1f}s in all, {ours.status}: weighted tardiness "
        f"{ours.weighted_tardiness(problem)}, makespan {ours.makespan} min, {late} orders late\n"
        f"  first free slot: weighted tardiness {ffs.weighted_tardiness(problem)}, "
        f"makespan {ffs.makespan} min"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("instances", nargs="*")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--work",
        type=float,
        default=None,
        help="limit each solve by CP-SAT deterministic time instead of seconds (about 4 "
        "matches 10 s on two idle cores), for figures that do not depend on the machine's load",
    )
    parser.add_argument("--shop", action="store_true")
    args = parser.parse_args()
    if args.shop:
        shop_case(60)
        return
    run_instances(args.instances or DEFAULT, args.seconds, args.work)
    if not args.instances:
        shop_case(60)


if __name__ == "__main__":
    main()
