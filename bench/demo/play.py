"""The whole demo, on any four clients (real ports for `make demo`, in-process in the tests)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.demo.api import Plant
from bench.demo.seed import seed
from bench.demo.summary import summarise
from bench.demo.week import (
    LEVELS,
    Week,
    buy_and_receive,
    make_level,
    plan_materials,
    ship,
    take_customer_orders,
)


async def play(plant: Plant, out: Path, say: Callable[[str], None]) -> dict:
    """Seed the factory, play the week, print and return the summary."""
    say("== seeding the bicycle factory")
    await seed(plant, say)
    week = Week()
    say("== Monday: customer orders and the plan")
    await take_customer_orders(plant, week, say)
    makes, buys = await plan_materials(plant, week, say)
    await buy_and_receive(plant, week, buys, say)
    for depth, skus in enumerate(LEVELS):
        say(f"== production, level {len(LEVELS) - depth}: {', '.join(skus)}")
        await make_level(plant, week, makes, skus, say, breakdown=depth == 0)
    say("== Friday: shipping")
    await ship(plant, week, say)
    return await summarise(plant, week, out, say)
