"""One cell's run on the matrix's stack: start the fixed request, kill at its moment, bring the
part back, answer the review if there is one, let the briefing finish and gather what it did."""

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError
from temporalio.worker import Replayer

from bench.matrix.cells import NO_KILL, PLAIN, Cell, FixedRequest
from bench.matrix.holds import Holds
from bench.matrix.plain_side import (
    PlainOutcome,
    finished_comparison,
    plain_outcome,
    start_comparison,
)
from bench.matrix.triggers import Observers, run_requests, wait_for_moment
from bench.soak.processes import Stack
from bench.soak.sse_watch import SSE_TIMEOUT, WatchRecord, watch_briefing
from bench.soak.starter import StartRecord, start_briefing
from core.keep_alive import CLIENT_LIMITS
from testing.polling import wait_for_async
from workflows.briefing import BriefingWorkflow
from workflows.comparison import ComparisonWorkflow

RUN_TIMEOUT_SECONDS = 150.0


@dataclass
class CellRun:
    """What a run left to judge: its content, the LLM's calls, the viewer's stream, the history."""

    briefing_id: str
    status: WorkflowExecutionStatus | None
    view: dict
    markdown: str
    llm_calls: list[dict]  # this run's, across LLM restarts
    killed_at: float | None  # monotonic, for the stream's times
    killed_at_wall: datetime | None  # for the LLM's and the history's times
    watch: WatchRecord
    replay_failure: str | None
    plain: PlainOutcome | None = None  # a plain cell's comparison, its plain side


class MatrixStack:
    """The one stack every cell runs on, and the clients the runs share."""

    def __init__(
        self, stack: Stack, request: FixedRequest, key_prefix: str, spare_worker: bool = False
    ) -> None:
        self.stack = stack
        self.spare_worker = spare_worker  # a second worker runs beside the one cells kill
        self.request = request
        self._key_prefix = key_prefix
        self._runs = 0
        self.api = httpx.AsyncClient(base_url=stack.url("web"), timeout=10.0, limits=CLIENT_LIMITS)
        self.sse = httpx.AsyncClient(
            base_url=stack.url("web"), timeout=SSE_TIMEOUT, limits=CLIENT_LIMITS
        )
        self.llm = httpx.AsyncClient(base_url=stack.url("llm"), timeout=10.0, limits=CLIENT_LIMITS)
        self.newsroom = httpx.AsyncClient(
            base_url=stack.url("newsroom"), timeout=10.0, limits=CLIENT_LIMITS
        )
        self.holds = Holds(self.newsroom, self.llm)
        self.client: Client | None = None

    async def connect(self) -> Client:
        if self.client is None:
            self.client = await Client.connect(
                self.stack.temporal_address, data_converter=pydantic_data_converter
            )
        return self.client

    async def close(self) -> None:
        for http in (self.api, self.sse, self.llm, self.newsroom):
            await http.aclose()

    async def run(self, cell: Cell) -> CellRun:
        client = await self.connect()
        self._runs += 1
        await self.holds.arm(cell)
        comparison = await start_comparison(self.api, self.request) if cell.part == PLAIN else None
        briefing_id = comparison.durable_id if comparison else await self._start(cell)
        plain_id = comparison.plain_id if comparison else None
        watch = WatchRecord(briefing_id)
        watching = asyncio.create_task(watch_briefing(self.sse, watch))
        killed_at, killed_at_wall, before_kill = None, None, []
        plain: PlainOutcome | None = None
        try:
            moment_seen = False
            if cell.part != NO_KILL or cell.review:
                observers = Observers(client, self.llm, self.newsroom)
                moment = wait_for_moment(cell, observers, briefing_id, plain_id)
                moment_seen = await asyncio.wait_for(moment, RUN_TIMEOUT_SECONDS)
            if cell.part == "llm" and moment_seen:
                # Read just before: the killed LLM takes its log along. A call sent between
                # this read and the kill dies unlogged, and its retry is what stands for it.
                before_kill = await run_requests(self.llm, briefing_id)
            if cell.part != NO_KILL and moment_seen:
                killed_at, killed_at_wall = await self._kill_and_restart(cell.part)
            if cell.review:
                await answer_review(self.api, briefing_id)
            status = await _closed_status(client, briefing_id)
            await asyncio.wait_for(watching, RUN_TIMEOUT_SECONDS)
            if comparison is not None:
                compared = await finished_comparison(self.api, comparison.comparison_id)
                plain = plain_outcome(compared)
        finally:
            watching.cancel()
            await self.holds.release()
        calls = await run_requests(self.llm, briefing_id)
        if cell.part == "llm":
            calls = before_kill + calls  # the killed LLM took its log of them along
        view = (await self.api.get(f"/api/briefings/{briefing_id}")).raise_for_status().json()
        export = await self.api.get(f"/briefings/{briefing_id}/export.md")
        replayed = [briefing_id, *([comparison.comparison_id] if comparison else [])]
        failures = [f for run_id in replayed if (f := await replay_failure(client, run_id))]
        return CellRun(
            briefing_id,
            status,
            view,
            export.raise_for_status().text,
            calls,
            killed_at,
            killed_at_wall,
            watch,
            "; ".join(failures) or None,
            plain,
        )

    async def _start(self, cell: Cell) -> str:
        key = f"{self._key_prefix}-{self._runs}"
        record = StartRecord(self._runs, key, self.request.topic)
        await start_briefing(
            self.api,
            record,
            max_stories=self.request.max_stories,
            deadline=time.monotonic() + RUN_TIMEOUT_SECONDS,
            sources=self.request.sources,
            review=cell.review,
        )
        assert record.briefing_id is not None, f"{cell.name}: the web never started it"
        return record.briefing_id

    async def _kill_and_restart(self, name: str) -> tuple[float, datetime]:
        part = self.stack.parts[name]
        part.kill()
        killed_at, killed_at_wall = time.monotonic(), datetime.now(UTC)
        await self.holds.release()
        part.start()  # at once: the resume time is the product's, not a chosen pause
        await part.wait_ready()
        return killed_at, killed_at_wall


async def answer_review(api: httpx.AsyncClient, briefing_id: str) -> None:
    """The editor takes the suggested stories, once the web can show and take the review."""

    async def suggested() -> list[str] | None:
        response = await api.get(f"/api/briefings/{briefing_id}")
        review = response.json().get("review") if response.status_code == 200 else None
        return review["suggested"] if review else None

    story_ids = await wait_for_async(
        suggested, RUN_TIMEOUT_SECONDS, "the review offered", ignoring=(httpx.TransportError,)
    )

    async def submitted() -> bool:
        decision = {"story_ids": story_ids}
        response = await api.post(f"/api/briefings/{briefing_id}/review", json=decision)
        return response.status_code == 200

    await wait_for_async(
        submitted, RUN_TIMEOUT_SECONDS, "the review taken", ignoring=(httpx.TransportError,)
    )


async def _closed_status(client: Client, briefing_id: str) -> WorkflowExecutionStatus | None:
    handle = client.get_workflow_handle(briefing_id)

    async def status() -> WorkflowExecutionStatus | None:
        return (await handle.describe()).status

    return await wait_for_async(
        status,
        RUN_TIMEOUT_SECONDS,
        f"{briefing_id} closed",
        until=lambda value: value not in (None, WorkflowExecutionStatus.RUNNING),
        interval=0.2,
        ignoring=(RPCError,),  # the server is coming back
    )


async def replay_failure(client: Client, briefing_id: str) -> str | None:
    """Why the run's history does not replay on today's workflows, or None if it does."""
    history = await client.get_workflow_handle(briefing_id).fetch_history()
    replayer = Replayer(
        workflows=[BriefingWorkflow, ComparisonWorkflow], data_converter=pydantic_data_converter
    )
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    return None if result.replay_failure is None else repr(result.replay_failure)
