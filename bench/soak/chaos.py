"""The chaos: `kill -9` of the worker, the web and the Temporal server at random moments, each
brought back after a random pause; and the LLM armed with 429s and slow answers in turn."""

import asyncio
import itertools
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from bench.soak.config import SoakConfig
from bench.soak.processes import CHAOS_PARTS, Stack

log = logging.getLogger("bench.soak")


@dataclass(frozen=True)
class Kill:
    part: str
    at: float  # monotonic
    # Briefings started and not yet seen closing when the part died: the ones it can delay.
    affected: frozenset[str]


def kill_plan(kills: int, rng: random.Random) -> list[str]:
    """Which part dies at each kill: every part about equally often, in random order."""
    plan = [CHAOS_PARTS[index % len(CHAOS_PARTS)] for index in range(kills)]
    rng.shuffle(plan)
    return plan


async def run_kills(
    stack: Stack, config: SoakConfig, running_briefings: Callable[[], frozenset[str]]
) -> list[Kill]:
    rng = random.Random(f"{config.seed}-kills")
    kills: list[Kill] = []
    restarts: dict[str, asyncio.Task] = {}
    for victim in kill_plan(config.kills, rng):
        await asyncio.sleep(rng.uniform(*config.kill_gap))
        if victim in restarts:
            await restarts.pop(victim)  # still down from its last kill: wait until it is back
        stack.parts[victim].kill()
        kills.append(Kill(victim, time.monotonic(), running_briefings()))
        log.info("kill -9 %s (%d briefings running)", victim, len(kills[-1].affected))
        pause = rng.uniform(*config.down_time)
        restarts[victim] = asyncio.create_task(_restart(stack, victim, pause))
    await asyncio.gather(*restarts.values())
    return kills


async def _restart(stack: Stack, name: str, pause: float) -> None:
    await asyncio.sleep(pause)
    part = stack.parts[name]
    part.start()
    await part.wait_ready()


async def inject_llm_faults(llm: httpx.AsyncClient, config: SoakConfig) -> None:
    """Arm a fault every `fault_interval` seconds until cancelled, then disarm."""
    faults = (
        {
            "mode": "rate_limit",
            "count": config.rate_limits_per_arm,
            "seconds": config.retry_after_seconds,
        },
        {"mode": "hang", "count": config.slow_calls_per_arm, "seconds": config.slow_call_seconds},
    )
    try:
        for armed in itertools.count():
            await llm.post("/_admin/faults", json=faults[armed % len(faults)])
            await asyncio.sleep(config.fault_interval)
    finally:
        await llm.delete("/_admin/faults")
