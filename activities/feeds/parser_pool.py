"""The worker's side of parsing untrusted bytes: a few long-lived parsing children, reused across
jobs, feed parses and article extractions alike (child_jobs.py).

Starting a child costs about 0.3 s of CPU and a parse about 10 ms, so children start lazily, one
per parse in flight, and wait between parses (a few at most, each replaced after
FEED_PARSES_PER_CHILD parses). A child that timed out, died or was cancelled mid-parse is killed
and never reused; one that died while idle is replaced before its death is charged to a feed.
One pool per event loop, made on first use: a child's pipes belong to the loop that started it.
"""

import asyncio
import signal
import weakref
from contextlib import suppress

from temporalio.exceptions import ApplicationError

from activities.errors import FeedError
from activities.feeds.child_jobs import WORDING, ChildJob, JobWording
from activities.feeds.child_limits import ChildJobLimits, ParserChildLimits
from activities.feeds.child_process import ChildDied, DiedBeforeStarting, ParserChild
from activities.feeds.limits import FEED_PARSER_IDLE_CHILDREN_MAX, FEED_PARSES_PER_CHILD, FeedLimits
from activities.models import FetchFeedResult


class FeedParserPool:
    def __init__(
        self,
        parses_per_child: int = FEED_PARSES_PER_CHILD,
        idle_children_max: int = FEED_PARSER_IDLE_CHILDREN_MAX,
    ) -> None:
        self._parses_per_child = parses_per_child
        self._idle_children_max = idle_children_max
        self._idle: list[ParserChild] = []
        self.children_started = 0

    @property
    def idle_children(self) -> tuple[ParserChild, ...]:
        return tuple(self._idle)

    async def parse(self, url: str, body: bytes, limits: FeedLimits) -> FetchFeedResult:
        result = await self.run(ChildJob.FEED_PARSE, url, body, limits.child_job)
        return FetchFeedResult.model_validate(result)

    async def run(self, job: ChildJob, url: str, body: bytes, limits: ChildJobLimits) -> dict:
        """The job's result, or its failure raised as the ApplicationError it is."""
        wording = WORDING[job]
        try:
            async with asyncio.timeout(limits.wall_seconds):
                outcome = await self._run_in_any_child(job, url, body, limits.child)
        except TimeoutError as error:
            # Not the bytes' fault: the CPU limit did not trip, the machine is too busy. Retry.
            raise ApplicationError(
                f"{wording.doing(url)} did not finish within {limits.wall_seconds:g} s",
                type=FeedError.TIMEOUT,
            ) from error
        except ChildDied as death:
            raise _death_error(url, death, limits, wording) from death
        return _result_or_raise(outcome)

    async def close(self) -> None:
        """Stops the idle children; a busy one is stopped by its own parse."""
        idle, self._idle = self._idle, []
        await asyncio.gather(*(child.retire() for child in idle))

    async def _run_in_any_child(
        self, job: ChildJob, url: str, body: bytes, limits: ParserChildLimits
    ) -> dict:
        idle_child = self._take_idle_child(limits)
        if idle_child is not None:
            with suppress(DiedBeforeStarting):  # died while idle: a fresh child takes the job
                return await self._run_in(idle_child, job, url, body)
        self.children_started += 1
        child = await ParserChild.start(limits, self._parses_per_child)
        return await self._run_in(child, job, url, body)

    async def _run_in(self, child: ParserChild, job: ChildJob, url: str, body: bytes) -> dict:
        outcome = None
        try:
            outcome = await child.run(job, url, body)
            return outcome
        finally:
            if outcome is None:
                # Timed out, cancelled with the activity or dead: it must not outlive its job.
                await child.kill()
            elif self._reusable(child, outcome) and len(self._idle) < self._idle_children_max:
                self._idle.append(child)
            else:
                await child.retire()

    def _reusable(self, child: ParserChild, outcome: dict) -> bool:
        # After a MemoryError its heap may stay bloated and starve the next job.
        ran_out_of_memory = outcome.get("failure", {}).get("type") == FeedError.TOO_LARGE
        return child.parses < self._parses_per_child and not ran_out_of_memory

    def _take_idle_child(self, limits: ParserChildLimits) -> ParserChild | None:
        # No await in here: concurrent parses on this loop never take the same child.
        for child in reversed(self._idle):  # the most recently used is the warmest
            if child.limits == limits:
                self._idle.remove(child)
                return child
        return None

    def close_with_loop(self) -> None:
        # asyncio.run cancels the tasks still pending when it ends: this one then stops the
        # idle children, while their loop can still reap them.
        self._closer = asyncio.get_running_loop().create_task(self._close_when_cancelled())

    async def _close_when_cancelled(self) -> None:
        try:
            await asyncio.get_running_loop().create_future()
        finally:
            await self.close()


_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, FeedParserPool] = (
    weakref.WeakKeyDictionary()
)


def current_pool() -> FeedParserPool:
    loop = asyncio.get_running_loop()
    if loop not in _pools:
        _pools[loop] = FeedParserPool()
        _pools[loop].close_with_loop()
    return _pools[loop]


async def parse_feed_in_child(url: str, body: bytes, limits: FeedLimits) -> FetchFeedResult:
    """Untrusted feed bytes parsed by a child under the kernel's CPU and memory limits."""
    return await current_pool().parse(url, body, limits)


def _death_error(
    url: str, death: ChildDied, limits: ChildJobLimits, wording: JobWording
) -> ApplicationError:
    if death.returncode == -signal.SIGXCPU:
        return ApplicationError(
            f"{wording.subject} refused: {wording.doing(url)} "
            f"took longer than {limits.cpu_seconds} s",
            type=FeedError.PARSING_TOO_SLOW,
            non_retryable=True,
        )
    # Killed from outside (the OOM killer, a signal): another attempt may well succeed.
    detail = death.detail or f"return code {death.returncode}"
    return ApplicationError(
        f"{wording.doing(url)} stopped without an answer: {detail}",
        type=FeedError.PARSER_CRASHED,
    )


def _result_or_raise(outcome: dict) -> dict:
    if "result" in outcome:
        return outcome["result"]
    failure = outcome["failure"]
    raise ApplicationError(
        failure["message"], type=failure["type"], non_retryable=failure["non_retryable"]
    )
