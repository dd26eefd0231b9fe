"""The engine's own limit: a workflow shaped like a briefing whose activities do nothing.

Same activity calls as a real briefing (counted from a real history by bench/throughput.py):
the fetches in parallel, the page reads a few at a time, the summaries a few at a time, then
compose; the same timeouts and
retry policies; the same worker options. `python -m bench.noop_workflow` runs its worker.
"""

import asyncio
import os
import signal
from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.worker import Worker

with workflow.unsafe.imports_passed_through():
    from workflows import activity_options as options

NOOP_TASK_QUEUE = "briefing-bench-noop"


@dataclass(frozen=True)
class BriefingShape:
    fetches: int
    reads: int
    summaries: int
    summary_concurrency: int
    composes: int


@activity.defn
async def noop_fetch(index: int) -> int:
    return index


@activity.defn
async def noop_read(index: int) -> int:
    return index


@activity.defn
async def noop_summarize(index: int) -> int:
    return index


@activity.defn
async def noop_compose(count: int) -> int:
    return count


@workflow.defn
class NoopBriefingWorkflow:
    @workflow.run
    async def run(self, shape: BriefingShape) -> int:
        await asyncio.gather(*(self._fetch(index) for index in range(shape.fetches)))
        reading = asyncio.Semaphore(options.READ_CONCURRENCY)
        await asyncio.gather(*(self._read(index, reading) for index in range(shape.reads)))
        bound = asyncio.Semaphore(shape.summary_concurrency)
        summaries = await asyncio.gather(
            *(self._summarize(index, bound) for index in range(shape.summaries))
        )
        for _ in range(shape.composes):
            await workflow.execute_activity(
                noop_compose,
                len(summaries),
                start_to_close_timeout=options.LLM_START_TO_CLOSE,
                heartbeat_timeout=options.LLM_HEARTBEAT,
                retry_policy=options.LLM_RETRY,
            )
        return len(summaries)

    async def _fetch(self, index: int) -> int:
        return await workflow.execute_activity(
            noop_fetch,
            index,
            start_to_close_timeout=options.FETCH_START_TO_CLOSE,
            heartbeat_timeout=options.FETCH_HEARTBEAT,
            retry_policy=options.FETCH_RETRY,
        )

    async def _read(self, index: int, bound: asyncio.Semaphore) -> int:
        async with bound:
            return await workflow.execute_activity(
                noop_read,
                index,
                start_to_close_timeout=options.READ_START_TO_CLOSE,
                heartbeat_timeout=options.READ_HEARTBEAT,
                retry_policy=options.READ_RETRY,
            )

    async def _summarize(self, index: int, bound: asyncio.Semaphore) -> int:
        async with bound:
            return await workflow.execute_activity(
                noop_summarize,
                index,
                start_to_close_timeout=options.LLM_START_TO_CLOSE,
                heartbeat_timeout=options.LLM_HEARTBEAT,
                retry_policy=options.LLM_RETRY,
            )


async def run_noop_worker() -> None:
    # Imported here: the workflow module must stay free of the worker's imports.
    from bench.load_stack import worker_identity
    from core.settings import get_settings
    from core.temporal_client import connect_with_retry
    from worker.main import MAX_CONCURRENT_ACTIVITIES

    settings = get_settings()
    client = await connect_with_retry(settings, identity=worker_identity(os.getpid()))
    worker = Worker(
        client,
        task_queue=NOOP_TASK_QUEUE,
        workflows=[NoopBriefingWorkflow],
        activities=[noop_fetch, noop_read, noop_summarize, noop_compose],
        max_concurrent_activities=MAX_CONCURRENT_ACTIVITIES,
        sticky_queue_schedule_to_start_timeout=timedelta(
            seconds=settings.sticky_queue_timeout_seconds
        ),
        graceful_shutdown_timeout=timedelta(seconds=settings.worker_shutdown_grace_seconds),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with worker:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(run_noop_worker())
    # Skip interpreter teardown, as `briefing worker` does (temporalio/sdk-python#300).
    os._exit(0)
