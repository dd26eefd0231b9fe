"""One soak run: start the stack, start and watch the briefings under chaos, then judge."""

import asyncio
import logging
import random
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError, RPCStatusCode

from bench.soak.chaos import Kill, inject_llm_faults, run_kills
from bench.soak.checks import SoakOutcome, judge
from bench.soak.config import SoakConfig
from bench.soak.histories import RunRecord, list_workflow_ids, read_run
from bench.soak.llm_log import RequestLogReader
from bench.soak.monitor import report_progress
from bench.soak.processes import Stack
from bench.soak.sse_watch import SSE_TIMEOUT, WatchRecord, watch_briefing
from bench.soak.starter import StartRecord, start_briefing
from core.keep_alive import CLIENT_LIMITS
from web.briefings.ids import idempotent_briefing_id

log = logging.getLogger("bench.soak")
SETTLE_POLL_SECONDS = 2.0
# Once every run has closed, how long the SSE clients get to reconnect and read the end.
SSE_GRACE_SECONDS = 60.0


@dataclass
class SoakResult:
    outcome: SoakOutcome
    duration_seconds: float


class SoakRun:
    def __init__(self, config: SoakConfig, data_dir: Path) -> None:
        self.config = config
        self.stack = Stack(data_dir, tokens_per_second=config.tokens_per_second)
        self.starts = [
            # Every other client gives up on its first try: a start whose answer was lost.
            StartRecord(
                index, config.idempotency_key(index), config.topic(index), impatient=index % 2 == 1
            )
            for index in range(config.briefings)
        ]
        self.watches: dict[str, WatchRecord] = {}
        self._watch_tasks: list[asyncio.Task] = []

    def running_briefings(self) -> frozenset[str]:
        closed = {w.briefing_id for w in self.watches.values() if w.close_status is not None}
        return frozenset(
            start.briefing_id
            for start in self.starts
            if start.briefing_id and start.briefing_id not in closed
        )

    async def run(self) -> SoakResult:
        began = time.monotonic()
        try:
            await self.stack.start()
            log.info(
                "stack up in %.1f s; logs in %s", time.monotonic() - began, self.stack.data_dir
            )
            outcome = await self._soak()
        finally:
            await _cancel(self._watch_tasks)
            self.stack.stop()
        return SoakResult(outcome, time.monotonic() - began)

    async def _soak(self) -> SoakOutcome:
        config = self.config
        async with (
            httpx.AsyncClient(
                base_url=self.stack.url("web"), timeout=10.0, limits=CLIENT_LIMITS
            ) as api,
            httpx.AsyncClient(
                base_url=self.stack.url("web"), timeout=SSE_TIMEOUT, limits=CLIENT_LIMITS
            ) as sse,
            httpx.AsyncClient(
                base_url=self.stack.url("llm"), timeout=10.0, limits=CLIENT_LIMITS
            ) as llm,
        ):
            requests = RequestLogReader(llm)
            background = [
                asyncio.create_task(requests.follow()),
                asyncio.create_task(inject_llm_faults(llm, config)),
                asyncio.create_task(
                    report_progress(
                        self.stack,
                        lambda: list(self.watches.values()),
                        config.briefings,
                        lambda: len(requests.requests),
                    )
                ),
            ]
            try:
                kills = await self._chaos(api, sse)
            finally:
                await _cancel(background)
            log.info("chaos over: %d kills; waiting for the briefings to close", len(kills))
            client = await Client.connect(
                self.stack.temporal_address, data_converter=pydantic_data_converter
            )
            runs = await self._settle(client)
            await self._wait_for_watchers()
            await requests.read()
            return judge(
                self.starts,
                self.watches,
                kills,
                runs,
                await list_workflow_ids(client),
                list(requests.requests.values()),
            )

    async def _chaos(self, api: httpx.AsyncClient, sse: httpx.AsyncClient) -> list[Kill]:
        """The kills, and the briefings started meanwhile; a failure of either stops both."""
        config = self.config
        deadline = time.monotonic() + config.expected_chaos_seconds + config.settle_timeout
        delays = config.start_delays(random.Random(f"{config.seed}-starts"))
        together = asyncio.gather(
            run_kills(self.stack, config, self.running_briefings),
            *(
                self._start_and_watch(api, sse, start, delay, deadline)
                for start, delay in zip(self.starts, delays, strict=True)
            ),
        )
        try:
            kills, *_ = await together
        except BaseException:
            together.cancel()  # else the starts would keep retrying against a stopped stack
            raise
        assert kills is not None  # run_kills' list; the starts and watches return None
        return kills

    async def _start_and_watch(
        self,
        api: httpx.AsyncClient,
        sse: httpx.AsyncClient,
        start: StartRecord,
        delay: float,
        deadline: float,
    ) -> None:
        await asyncio.sleep(delay)
        await start_briefing(
            api, start, max_stories=self.config.stories_per_briefing, deadline=deadline
        )
        if start.briefing_id is None:
            return
        watch = self.watches[start.briefing_id] = WatchRecord(start.briefing_id)
        self._watch_tasks.append(asyncio.create_task(watch_briefing(sse, watch)))

    async def _settle(self, client: Client) -> dict[str, RunRecord]:
        """Every run once closed, or as it stands when the settle time is up."""
        deadline = time.monotonic() + self.config.settle_timeout
        ids = [idempotent_briefing_id(start.key) for start in self.starts]
        while time.monotonic() < deadline:
            statuses = [await _status(client, briefing_id) for briefing_id in ids]
            if WorkflowExecutionStatus.RUNNING not in statuses:
                break
            await asyncio.sleep(SETTLE_POLL_SECONDS)
        return {briefing_id: await _read_or_none(client, briefing_id) for briefing_id in ids}

    async def _wait_for_watchers(self) -> None:
        if not self._watch_tasks:
            return
        _, pending = await asyncio.wait(self._watch_tasks, timeout=SSE_GRACE_SECONDS)
        await _cancel(pending)


async def _cancel(tasks) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def _status(client: Client, briefing_id: str) -> WorkflowExecutionStatus | None:
    try:
        return (await client.get_workflow_handle(briefing_id).describe()).status
    except RPCError as error:
        if error.status != RPCStatusCode.NOT_FOUND:
            raise
        return None


async def _read_or_none(client: Client, briefing_id: str) -> RunRecord:
    try:
        return await read_run(client, briefing_id)
    except RPCError as error:
        if error.status != RPCStatusCode.NOT_FOUND:
            raise
        return RunRecord(briefing_id, status=None)
