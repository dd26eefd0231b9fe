"""`briefing worker`: runs the briefing workflow and its activities."""

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import Sequence
from datetime import timedelta
from types import TracebackType

from temporalio.client import Client
from temporalio.worker import Interceptor, Worker

from activities.articles.limits import ArticleLimits
from activities.articles.reader import ArticleReader
from activities.compose import ComposeActivities
from activities.fetch import FeedFetcher
from activities.heartbeats import HEARTBEAT_INTERVAL_SECONDS
from activities.llm.client import build_openai_client
from activities.llm_log import LlmLogActivities
from activities.plain_runs.watch import PlainRunActivities
from activities.summarize import SummarizeActivities
from core.metrics import start_metrics_runtime, worker_metrics_ports
from core.settings import Settings
from core.temporal_client import connect_with_retry
from core.tracing import (
    WORKER_SERVICE,
    Tracing,
    client_interceptors,
    start_tracing,
    stop_tracing,
)
from worker.attempt_reports import AttemptReportingInterceptor
from worker.deployment import build_id, deployment_config
from worker.promotion import promote_build
from worker.search_attributes import ensure_search_attributes
from workflows.briefing import BriefingWorkflow
from workflows.comparison import ComparisonWorkflow

log = logging.getLogger(__name__)

# The LLM calls (and the feeds of briefings started before feeds had a task queue of their own).
MAX_CONCURRENT_ACTIVITIES = 16
# Worker heartbeats to the server: the dashboard sees a killed worker go quiet within seconds.
WORKER_HEARTBEAT_INTERVAL = timedelta(seconds=2)
WORKFLOWS: Sequence[type] = (BriefingWorkflow, ComparisonWorkflow)


# What __aexit__ is told: the exception's type, the exception and its traceback, or three Nones.
_ExitArguments = tuple[type[BaseException] | None, BaseException | None, TracebackType | None]


class BriefingWorkers:
    """The process's two workers, on one client, started and stopped together: the briefing
    worker (workflows, LLM calls) and the feed worker, whose slots only downloads (feeds and
    story pages) take."""

    def __init__(self, briefing: Worker, feeds: Worker) -> None:
        self.briefing = briefing
        self.feeds = feeds
        self._running = contextlib.AsyncExitStack()

    async def __aenter__(self) -> "BriefingWorkers":
        # Should the second fail to start, the first is stopped again.
        async with contextlib.AsyncExitStack() as starting:
            for worker in (self.briefing, self.feeds):
                await starting.enter_async_context(worker)
            self._running = starting.pop_all()
        return self

    async def __aexit__(self, *exc_info: *_ExitArguments) -> bool | None:
        return await self._running.__aexit__(*exc_info)


def build_workers(
    client: Client,
    settings: Settings,
    interceptors: Sequence[Interceptor] = (),
    workflows: Sequence[type] = WORKFLOWS,
) -> BriefingWorkers:
    """`interceptors` come before the product's own (bench/live_text_worker.py swaps the
    channel the LLM's words travel on); other `workflows` make another build of them
    (testing/build_b_worker.py)."""
    llm = build_openai_client(
        api_key=settings.llm_api_key,
        base_url=settings.llm_base_url,
        timeout=settings.llm_timeout_seconds,
    )
    # One fetcher for both workers: its per-host download limit counts every fetch of the process.
    fetcher = FeedFetcher(settings.feed_hosts_to_trust)
    # Story pages are on the feeds' hosts or public ones: trusted as the feeds' hosts are.
    reader = ArticleReader(
        settings.feed_hosts_to_trust,
        ArticleLimits(max_bytes=settings.article_max_bytes),
        aliases=settings.page_aliases,
    )
    plain_runs = PlainRunActivities(settings.plain_agent_url)
    shutdown_grace = timedelta(seconds=settings.worker_shutdown_grace_seconds)
    briefing = Worker(
        client,
        task_queue=settings.task_queue,
        workflows=workflows,
        activities=[
            fetcher.fetch_feed,
            reader.read_article,
            SummarizeActivities(llm).summarize_story,
            ComposeActivities(llm).compose_briefing,
            plain_runs.start_plain_run,
            plain_runs.watch_plain_run,
            LlmLogActivities(settings.offline_llm_url).read_llm_log,
        ],
        interceptors=[*interceptors, AttemptReportingInterceptor()],
        max_concurrent_activities=MAX_CONCURRENT_ACTIVITIES,
        sticky_queue_schedule_to_start_timeout=timedelta(
            seconds=settings.sticky_queue_timeout_seconds
        ),
        graceful_shutdown_timeout=shutdown_grace,
        # The LLM's text so far rides on heartbeats (activities/llm/live_text.py): sent this
        # often, not the SDK's 80% of the heartbeat timeout, or the page would show it in jumps;
        # and never held longer than a beat, as on the feed worker below.
        max_heartbeat_throttle_interval=timedelta(
            seconds=min(settings.live_text_interval_seconds, HEARTBEAT_INTERVAL_SECONDS)
        ),
        deployment_config=deployment_config(settings),
    )
    feeds = Worker(
        client,
        task_queue=settings.feed_task_queue,
        activities=[fetcher.fetch_feed, reader.read_article],
        interceptors=[AttemptReportingInterceptor()],
        max_concurrent_activities=settings.feed_fetch_slots,
        graceful_shutdown_timeout=shutdown_grace,
        # Each heartbeat sent as soon as it is beaten (every second, activities/heartbeats.py),
        # not held for 80% of the heartbeat timeout: the 3 s timeout keeps two seconds of slack.
        max_heartbeat_throttle_interval=timedelta(seconds=HEARTBEAT_INTERVAL_SECONDS),
        # Of the same build: a pinned briefing's downloads go to workers of its own build.
        deployment_config=deployment_config(settings),
    )
    return BriefingWorkers(briefing, feeds)


async def run_worker(
    settings: Settings,
    interceptors: Sequence[Interceptor] = (),
    workflows: Sequence[type] = WORKFLOWS,
) -> None:
    tracing = start_tracing(settings, WORKER_SERVICE)
    try:
        await _serve_until_stopped(settings, interceptors, workflows, tracing)
    finally:
        # The spans still batched are sent before the process leaves, however it stops.
        stop_tracing(tracing)


async def _serve_until_stopped(
    settings: Settings,
    interceptors: Sequence[Interceptor],
    workflows: Sequence[type],
    tracing: Tracing | None,
) -> None:
    identity = f"worker-{os.getpid()}@{socket.gethostname()}"
    metrics = start_metrics_runtime(
        settings.host,
        worker_metrics_ports(settings),
        worker_heartbeat_interval=WORKER_HEARTBEAT_INTERVAL,
    )
    # Client interceptors that are also worker ones (tracing) reach both workers from here.
    client = await connect_with_retry(
        settings,
        identity=identity,
        runtime=metrics.runtime,
        interceptors=client_interceptors(tracing),
    )
    await ensure_search_attributes(client)
    workers = build_workers(client, settings, interceptors, workflows)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    log.info(
        "worker %s polling task queue %r (feeds: %r), build %r",
        identity,
        settings.task_queue,
        settings.feed_task_queue,
        build_id(settings) if settings.worker_versioning else "unversioned",
    )
    async with workers:
        await promote_build(client, settings)
        await stop.wait()
        log.info("shutting down: letting activities in flight finish")
