"""Slow feeds cannot starve other work: each URL fetched once, a few at a time per briefing,
on a task queue whose slots the LLM calls never need (issue 12, item 4)."""

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from temporalio.client import WorkflowFailureError
from temporalio.worker import Worker

from activities.feeds.limits import FeedLimits
from activities.fetch import FeedFetcher
from core.settings import Settings
from testing.drip_feeds import STATS_PATH, create_drip_app
from testing.polling import wait_for_async
from testing.servers import serve_in_thread
from tests.workflows.briefings import briefing_request, start_briefing
from worker.main import MAX_CONCURRENT_ACTIVITIES, build_workers
from workflows.activity_options import FETCH_CONCURRENCY
from workflows.models import BriefingRequest, StepKind, StepState

DRIP_HOSTS = 3
# Long enough that no download ends on its own while a test looks.
HOLD_SECONDS = 60


def request_for(settings: Settings, sources: list[str], **changes) -> BriefingRequest:
    return briefing_request(settings, sources=sources, max_stories=2, **changes)


def drip_stats(url: str) -> dict[str, int]:
    return httpx.get(url + STATS_PATH).json()


@pytest.fixture
def drip_urls() -> Iterator[list[str]]:
    """Drip hosts (one port each), so more drips run than one host is allowed."""
    with (
        serve_in_thread(create_drip_app()) as first,
        serve_in_thread(create_drip_app()) as second,
        serve_in_thread(create_drip_app()) as third,
    ):
        yield [first, second, third][:DRIP_HOSTS]


async def test_a_source_listed_twice_is_fetched_once(
    temporal_client, settings, worker, newsroom_admin
):
    newsroom_admin.delete("/requests")
    first, second = settings.default_sources[:2]
    request = request_for(settings, [first, second, first, first])

    result = await (await start_briefing(temporal_client, settings, request)).result()

    fetches = [step for step in result.progress.steps if step.kind == StepKind.FETCH]
    assert [(step.id, step.label) for step in fetches] == [("fetch-0", first), ("fetch-1", second)]
    counts = newsroom_admin.get("/requests").json()["requests"]
    assert counts["harbour-herald"] == 1 and counts["circuit-daily"] == 1


async def test_a_briefing_downloads_no_more_than_its_share_of_feeds_at_once(
    temporal_client, settings, worker, drip_urls
):
    # A feed worker of its own with no host limit: only the workflow's cap holds them back.
    drip_url = drip_urls[0]
    limits = FeedLimits(total_seconds=HOLD_SECONDS, downloads_per_host=100)
    queue = f"{settings.task_queue}-unlimited-feeds"
    request = request_for(settings, drip_sources(drip_url), feed_task_queue=queue)
    fetcher = FeedFetcher([drip_url], limits)
    async with Worker(temporal_client, task_queue=queue, activities=[fetcher.fetch_feed]):
        handle = await start_briefing(temporal_client, settings, request)
        await until_drips_open([drip_url], FETCH_CONCURRENCY)
        await asyncio.sleep(1)  # time for more to connect, were they let through
        stats = drip_stats(drip_url)
        await handle.cancel()
        with pytest.raises(WorkflowFailureError):
            await handle.result()

    assert stats["requests"] == stats["most_open"] == FETCH_CONCURRENCY


async def test_summaries_run_while_slow_feeds_hold_more_downloads_than_the_llm_has_slots(
    temporal_client, settings, drip_urls
):
    settings = settings.model_copy(update={"trusted_feed_hosts": drip_urls})
    async with build_workers(temporal_client, settings):
        slow = [
            await start_briefing(
                temporal_client, settings, request_for(settings, drip_sources(url))
            )
            for url in drip_urls
        ]
        await until_drips_open(drip_urls, DRIP_HOSTS * FETCH_CONCURRENCY)
        assert DRIP_HOSTS * FETCH_CONCURRENCY > MAX_CONCURRENT_ACTIVITIES

        normal = await start_briefing(
            temporal_client, settings, request_for(settings, settings.feeds)
        )
        result = await normal.result()
        still_open = sum(drip_stats(url)["open"] for url in drip_urls)

        for handle in slow:
            await handle.cancel()
    summaries = [step for step in result.progress.steps if step.kind == StepKind.SUMMARIZE]
    assert summaries and all(step.state == StepState.DONE for step in summaries)
    # Each drip lasts the whole download deadline (20 s): none had ended when the briefing did.
    assert still_open == DRIP_HOSTS * FETCH_CONCURRENCY


def drip_sources(drip_url: str) -> list[str]:
    return [f"{drip_url}/feeds/{index}.xml" for index in range(FETCH_CONCURRENCY + 2)]


async def until_drips_open(drip_urls: list[str], count: int) -> None:
    await wait_for_async(
        lambda: sum(drip_stats(url)["open"] for url in drip_urls),
        30,
        f"{count} drips open",
        until=lambda open_now: open_now >= count,
    )
