"""Heartbeating while an activity waits on something that sends no news of its own."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from temporalio import activity

HEARTBEAT_INTERVAL_SECONDS = 1.0
T = TypeVar("T")


def _no_details() -> Sequence[Any]:
    return ()


async def heartbeating(work: Awaitable[T], details: Callable[[], Sequence[Any]] = _no_details) -> T:
    """Await the work, heartbeating every second so a dead worker is noticed and cancellation
    arrives while a connect, a read or a child process waits. Cancelled, the activity stops the
    work and waits until it has stopped (the activities use WAIT_CANCELLATION_COMPLETED).

    Each heartbeat carries `details()`: the server keeps only the latest details, so a beat
    without them would erase what the work last heartbeated itself."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=HEARTBEAT_INTERVAL_SECONDS)
            if done:
                return task.result()
            activity.heartbeat(*details())
    finally:
        if not task.done():
            task.cancel()
            await asyncio.wait({task})
