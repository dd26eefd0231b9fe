"""A few downloads at once per host, the wait counted in the download's deadline."""

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.errors import FeedError
from activities.feeds.address_guard import AddressGuard
from activities.feeds.download import download_feed
from activities.feeds.host_slots import HostSlots, host_key
from activities.feeds.limits import FeedLimits
from activities.fetch import FeedFetcher
from activities.models import FetchFeedInput
from testing.drip_feeds import STATS_PATH, create_drip_app
from testing.polling import wait_for_async
from testing.servers import serve_in_thread

# Long enough that no download ends on its own while a test looks.
HOLD_SECONDS = 60


@pytest.fixture
def drip_url() -> Iterator[str]:
    with serve_in_thread(create_drip_app(interval=0.2)) as url:
        yield url


def drip_stats(url: str) -> dict[str, int]:
    return httpx.get(url + STATS_PATH).json()


async def until_open(url: str, count: int) -> None:
    await wait_for_async(
        lambda: drip_stats(url)["open"],
        15,
        f"{count} downloads open at {url}",
        until=lambda open_now: open_now >= count,
        interval=0.05,
    )


def test_one_host_is_one_key_however_its_url_spells_it():
    assert host_key("http://Example.com/a.xml") == host_key("http://example.com:80/b.xml")
    assert host_key("https://example.com/a.xml") != host_key("http://example.com/a.xml")
    assert host_key("http://example.com:8080/a") != host_key("http://example.com/a")


async def test_downloads_from_one_host_run_a_few_at_a_time(drip_url: str):
    fetcher = FeedFetcher([drip_url], FeedLimits(total_seconds=HOLD_SECONDS, downloads_per_host=2))
    fetches = [
        asyncio.ensure_future(
            ActivityEnvironment().run(
                fetcher.fetch_feed, FetchFeedInput(url=f"{drip_url}/feeds/{index}.xml")
            )
        )
        for index in range(5)
    ]
    await until_open(drip_url, 2)
    await asyncio.sleep(0.5)  # time for a third to connect, were it let through
    stats = drip_stats(drip_url)
    for fetch in fetches:
        fetch.cancel()
    await asyncio.gather(*fetches, return_exceptions=True)

    assert stats["requests"] == 2 and stats["most_open"] == 2


async def test_waiting_for_a_busy_host_counts_in_the_deadline_and_never_connects(
    drip_url: str,
):
    guard, hosts = AddressGuard([drip_url]), HostSlots(1)
    environment = ActivityEnvironment()
    holder = asyncio.ensure_future(
        environment.run(
            download_feed, f"{drip_url}/a.xml", guard, FeedLimits(total_seconds=HOLD_SECONDS), hosts
        )
    )
    await until_open(drip_url, 1)

    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(
            download_feed, f"{drip_url}/b.xml", guard, FeedLimits(total_seconds=1), hosts
        )
    holder.cancel()
    await asyncio.gather(holder, return_exceptions=True)

    assert raised.value.type == FeedError.TOO_SLOW and raised.value.non_retryable
    assert "waited 1 s for its host" in raised.value.message
    assert drip_stats(drip_url)["requests"] == 1


async def test_a_busy_host_does_not_hold_up_another_host(drip_url: str, newsroom_url: str):
    guard, hosts = AddressGuard([drip_url, newsroom_url]), HostSlots(1)
    holder = asyncio.ensure_future(
        ActivityEnvironment().run(
            download_feed, f"{drip_url}/a.xml", guard, FeedLimits(total_seconds=HOLD_SECONDS), hosts
        )
    )
    await until_open(drip_url, 1)

    feed = f"{newsroom_url}/feeds/harbour-herald.xml"
    body = await ActivityEnvironment().run(
        download_feed, feed, guard, FeedLimits(total_seconds=10), hosts
    )
    holder.cancel()
    await asyncio.gather(holder, return_exceptions=True)

    assert b"<rss" in body
