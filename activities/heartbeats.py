"""Heartbeating while an activity waits on something that sends no news of its own."""

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from temporalio import activity

HEARTBEAT_INTERVAL_SECONDS = 1.0
T = TypeVar("T")


async def heartbeating(work: Awaitable[T]) -> T:
    """Await the work, heartbeating every second so a dead worker is noticed and cancellation
    arrives while a connect, a read or a child process waits. Cancelled, the activity stops the
    work and waits until it has stopped (the activities use WAIT_CANCELLATION_COMPLETED)."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=HEARTBEAT_INTERVAL_SECONDS)
            if done:
                return task.result()
            activity.heartbeat()
    finally:
        if not task.done():
            task.cancel()
            await asyncio.wait({task})
