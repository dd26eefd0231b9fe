"""Waiting until something is true, for tests and benchmarks: one loop, one failure message.

`probe` reads the current value (a body, a count, a snapshot); the wait is over once
`until(value)` holds (by default: once the value is truthy) and that value is returned. On
time-out the error names what was awaited and the last value seen, so a failure says where
things stood, not just that they never got there.
"""

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, overload

T = TypeVar("T")
DEFAULT_INTERVAL_SECONDS = 0.1


class WaitTimedOut(TimeoutError):
    """What was awaited did not happen in time."""

    def __init__(self, what: str, timeout: float, last: object) -> None:
        super().__init__(f"{what}: not within {timeout:g}s; last seen: {last!r}")
        self.last = last


def wait_for(
    probe: Callable[[], T],
    timeout: float,
    what: str,
    *,
    until: Callable[[T], object] = bool,
    interval: float = DEFAULT_INTERVAL_SECONDS,
    ignoring: tuple[type[Exception], ...] = (),
) -> T:
    """The first value of `probe()` that satisfies `until`, read every `interval` seconds.

    An exception in `ignoring` counts as "not yet" (e.g. a server still starting); it is the
    last value seen if the time runs out. The probe is always read at least once.
    """
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            value = probe()
        except ignoring as error:
            last = error
        else:
            if until(value):
                return value
            last = value
        if time.monotonic() >= deadline:
            raise WaitTimedOut(what, timeout, last)
        time.sleep(interval)


@overload
async def wait_for_async(
    probe: Callable[[], Awaitable[T]],
    timeout: float,
    what: str,
    *,
    until: Callable[[T], object] = ...,
    interval: float = ...,
    ignoring: tuple[type[Exception], ...] = ...,
) -> T: ...


@overload
async def wait_for_async(
    probe: Callable[[], T],
    timeout: float,
    what: str,
    *,
    until: Callable[[T], object] = ...,
    interval: float = ...,
    ignoring: tuple[type[Exception], ...] = ...,
) -> T: ...


async def wait_for_async(
    probe: Callable[[], T | Awaitable[T]],
    timeout: float,
    what: str,
    *,
    until: Callable[[T], object] = bool,
    interval: float = DEFAULT_INTERVAL_SECONDS,
    ignoring: tuple[type[Exception], ...] = (),
) -> T:
    """As `wait_for`, in an event loop; `probe` may be a coroutine function or a plain one.

    The timeout bounds the probe too: a read that hangs is cut off when the time is up.
    """
    last: list[object] = [None]  # kept outside the timeout's scope, for the message
    try:
        async with asyncio.timeout(timeout) as scope:
            return await _poll(probe, until, interval, ignoring, last)
    except TimeoutError:
        if not scope.expired():
            raise  # the probe's own time-out, not ours
        raise WaitTimedOut(what, timeout, last[0]) from None


async def _poll(
    probe: Callable[[], T | Awaitable[T]],
    until: Callable[[T], object],
    interval: float,
    ignoring: tuple[type[Exception], ...],
    last: list[object],
) -> T:
    while True:
        try:
            value = probe()
            if inspect.isawaitable(value):
                value = await value
        except ignoring as error:
            last[0] = error
        else:
            if until(value):
                return value
            last[0] = value
        await asyncio.sleep(interval)
