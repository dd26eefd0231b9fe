"""What the presenter's scripted demos share: one run at a time, its first fault, its waits.

A scenario only does what a presenter would do by hand, in the web process; what it starts is an
ordinary durable workflow, which finishes whether or not the script does.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from web.dashboard.fault_controls import FaultControls, LlmFault

log = logging.getLogger(__name__)
TOPIC = "science"
RATE_LIMITED_CALLS = 2
RETRY_AFTER_SECONDS = 3.0
POLL_SECONDS = 0.5
TIMEOUT_SECONDS = 300.0

Say = Callable[[str], Awaitable[None]]
Seen = TypeVar("Seen")


class ScenarioBusy(RuntimeError):
    pass


class ScenarioRun:
    def __init__(self, name: str, faults: FaultControls, say: Say) -> None:
        self._name, self._faults, self._say = name, faults, say
        self._task: asyncio.Task | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def _refuse_if_running(self) -> None:
        if self.running:
            raise ScenarioBusy(f"the {self._name} is already running")

    def _play_in_background(self, play: Coroutine[Any, Any, None]) -> None:
        self._task = asyncio.create_task(self._reporting_failure(play))

    async def _reporting_failure(self, play: Coroutine[Any, Any, None]) -> None:
        try:
            await play
        except Exception as error:  # noqa: BLE001 - the presenter must see why it stopped
            log.exception("%s stopped", self._name)
            await self._say(f"scenario: stopped: {error}")

    async def _rate_limit_llm(self, whose: str = "") -> None:
        await self._faults.break_llm(
            LlmFault(mode="rate_limit", count=RATE_LIMITED_CALLS, seconds=RETRY_AFTER_SECONDS)
        )
        await self._say(
            f"scenario: the LLM answers 429 (Retry-After {RETRY_AFTER_SECONDS:g} s) "
            f"to the next {RATE_LIMITED_CALLS} calls{whose}"
        )


async def poll_until(
    read: Callable[[], Awaitable[Seen | None]], condition: Callable[[Seen], bool]
) -> Seen:
    """Reads until the condition holds; a read of None (nothing to see yet) just tries again."""
    async with asyncio.timeout(TIMEOUT_SECONDS):
        while True:
            seen = await read()
            if seen is not None and condition(seen):
                return seen
            await asyncio.sleep(POLL_SECONDS)
