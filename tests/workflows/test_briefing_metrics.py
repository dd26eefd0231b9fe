"""A briefing's counters are replay-safe: a worker that picks a briefing up from its history (the
first one gone) counts what it sees happen, not what it replays."""

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from core.metrics import start_metrics_runtime
from core.settings import Settings
from testing.prometheus_text import Scrape, scrape
from testing.temporal_dev import free_port
from tests.workflows.test_review import start_with_review, waiting_for_review
from worker.main import build_workers
from workflows.briefing import BriefingWorkflow
from workflows.review import ReviewDecision

COUNTERS = ("briefing_started_total", "briefing_completed_total")


class MeteredClient:
    """A client on a Runtime of its own, whose workers' metrics are scraped at `url`."""

    def __init__(self) -> None:
        port = free_port()
        self.runtime = start_metrics_runtime("127.0.0.1", [port]).runtime
        self.url = f"http://127.0.0.1:{port}/metrics"

    async def connect(self, address: str) -> Client:
        return await Client.connect(
            address, data_converter=pydantic_data_converter, runtime=self.runtime
        )

    def counts(self) -> dict[str, float]:
        scraped: Scrape = scrape(self.url)
        return {name: scraped.total(name) for name in COUNTERS}


async def test_a_briefing_resumed_by_another_worker_is_started_once_and_completed_once(
    temporal_address: str, settings: Settings
) -> None:
    first, second = MeteredClient(), MeteredClient()
    async with build_workers(await first.connect(temporal_address), settings):
        handle = await start_with_review(await first.connect(temporal_address), settings)
        review = (await waiting_for_review(handle)).review
    assert review is not None
    # The first worker is gone: the second replays the history up to the review, then goes on.
    async with build_workers(await second.connect(temporal_address), settings):
        chosen = [candidate.id for candidate in review.candidates[:2]]
        await handle.execute_update(
            BriefingWorkflow.submit_review, ReviewDecision(story_ids=chosen)
        )
        await handle.result()
    assert first.counts() == {"briefing_started_total": 1, "briefing_completed_total": 0}
    assert second.counts() == {"briefing_started_total": 0, "briefing_completed_total": 1}
