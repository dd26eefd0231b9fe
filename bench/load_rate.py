"""Runs kept in flight for a fixed time: how many complete per minute, and at what CPU cost."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bench.load_metrics import CpuShares

RunOnce = Callable[[], Awaitable[bool]]


@dataclass(frozen=True)
class Rate:
    completed: int
    failed: int
    per_minute: float


async def sustained_rate(
    run_once: RunOnce, *, in_flight: int, warmup: float, window: float
) -> Rate:
    """Runs that complete inside the window, `in_flight` at a time; the warm-up is not counted."""
    started = time.monotonic()
    opens, closes = started + warmup, started + warmup + window
    completed, failed = 0, 0

    async def slot() -> None:
        nonlocal completed, failed
        while time.monotonic() < closes:
            succeeded = await run_once()
            if opens <= time.monotonic() <= closes:
                completed, failed = completed + succeeded, failed + (not succeeded)

    await asyncio.gather(*(slot() for _ in range(in_flight)))
    return Rate(completed, failed, completed * 60.0 / window)


def cpu_per_run(cpu: CpuShares, rate: Rate) -> str:
    """Where a run's time goes: each part's busy share, and its CPU seconds per run."""
    parts = [
        f"{name} {share * 100:.0f}% ({share * 60 / rate.per_minute:.3f} s/run)"
        if rate.per_minute
        else f"{name} {share * 100:.0f}%"
        for name, share in cpu.shares().items()
    ]
    return "CPU in % of one core (≈ CPU seconds per run): " + ", ".join(parts)
