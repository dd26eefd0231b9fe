"""Runs kept in flight for a fixed time: how many complete per minute, and at what CPU cost."""

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bench.load_metrics import MACHINE

RunOnce = Callable[[], Awaitable[bool]]
# CPU seconds so far, by group of processes (bench.load_metrics.CpuByProcessTree).
CpuMeter = Callable[[], dict[str, float]]


@dataclass(frozen=True)
class Rate:
    completed: int
    failed: int
    per_minute: float
    # CPU seconds spent inside the counted window, by group; empty without a meter.
    window_cpu: dict[str, float] = field(default_factory=dict)


async def cpu_between(meter: CpuMeter, opens: float, closes: float) -> dict[str, float]:
    """The meter read as the window opens and as it closes, so warm-up and drain are left out."""
    await asyncio.sleep(max(0.0, opens - time.monotonic()))
    before = meter()
    await asyncio.sleep(max(0.0, closes - time.monotonic()))
    after = meter()
    return {name: after[name] - before[name] for name in after}


async def sustained_rate(
    run_once: RunOnce,
    *,
    in_flight: int,
    warmup: float,
    window: float,
    cpu_meter: CpuMeter | None = None,
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

    metering = asyncio.create_task(cpu_between(cpu_meter, opens, closes)) if cpu_meter else None
    await asyncio.gather(*(slot() for _ in range(in_flight)))
    window_cpu = await metering if metering else {}
    return Rate(completed, failed, completed * 60.0 / window, window_cpu)


# The cells cpu_per_run_cells adds after the groups' own.
CPU_TOTALS = ["all these", "rest of machine", "cores busy"]


def cpu_per_run_cells(rate: Rate, groups: list[str], window: float) -> list[str]:
    """Each group's CPU seconds per completed run, their sum, what the rest of the machine spent
    (other processes, e.g. a test suite sharing the cores), and how busy all cores were."""

    def per_run(seconds: float) -> str:
        return f"{seconds / rate.completed:.3f}" if rate.completed else "–"

    ours = sum(rate.window_cpu.get(name, 0.0) for name in groups)
    machine = rate.window_cpu.get(MACHINE, 0.0)
    cores_busy = machine / (window * (os.cpu_count() or 1))
    cells = [per_run(rate.window_cpu.get(name, 0.0)) for name in groups]
    return [*cells, per_run(ours), per_run(machine - ours), f"{cores_busy * 100:.0f}%"]
