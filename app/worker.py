"""`briefing worker`: runs the briefing workflow and its activities."""

import asyncio
import logging
import os
import signal
import socket
from datetime import timedelta

from temporalio.client import Client
from temporalio.runtime import Runtime, TelemetryConfig
from temporalio.worker import Worker

from activities.attempt_reports import AttemptReportingInterceptor
from activities.compose import ComposeActivities
from activities.fetch import FeedFetcher
from activities.llm import build_openai_client
from activities.summarize import SummarizeActivities
from app.settings import Settings
from app.temporal_client import connect_with_retry
from workflows.briefing import BriefingWorkflow

log = logging.getLogger(__name__)

# After a kill -9 the next workflow task waits this long for the dead worker's sticky
# queue before Temporal hands it to any worker (the default is 10 s).
STICKY_QUEUE_TIMEOUT = timedelta(seconds=2)
# On SIGTERM, activities in flight get this long to finish before being handed back.
GRACEFUL_SHUTDOWN = timedelta(seconds=10)
MAX_CONCURRENT_ACTIVITIES = 16
# Worker heartbeats to the server: the dashboard sees a killed worker go quiet within seconds.
WORKER_HEARTBEAT_INTERVAL = timedelta(seconds=2)


def build_worker(client: Client, settings: Settings) -> Worker:
    llm = build_openai_client(
        api_key=settings.openai_api_key.get_secret_value()
        if settings.openai_api_key
        else "offline",
        base_url=settings.llm_base_url,
        timeout=settings.llm_timeout_seconds,
    )
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=[BriefingWorkflow],
        activities=[
            FeedFetcher(settings.feed_hosts_to_trust).fetch_feed,
            SummarizeActivities(llm).summarize_story,
            ComposeActivities(llm).compose_briefing,
        ],
        interceptors=[AttemptReportingInterceptor()],
        max_concurrent_activities=MAX_CONCURRENT_ACTIVITIES,
        sticky_queue_schedule_to_start_timeout=STICKY_QUEUE_TIMEOUT,
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
    )


async def run_worker(settings: Settings) -> None:
    identity = f"worker-{os.getpid()}@{socket.gethostname()}"
    runtime = Runtime(
        telemetry=TelemetryConfig(), worker_heartbeat_interval=WORKER_HEARTBEAT_INTERVAL
    )
    client = await connect_with_retry(settings, identity=identity, runtime=runtime)
    worker = build_worker(client, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    log.info("worker %s polling task queue %r", identity, settings.task_queue)
    async with worker:
        await stop.wait()
        log.info("shutting down: letting activities in flight finish")
