"""How fetch_feed and download_feed report a misbehaving newsroom: typed, retryable or not."""

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.errors import FeedError
from activities.feeds.address_guard import AddressGuard
from activities.feeds.download import download_feed
from activities.feeds.limits import FeedLimits
from activities.fetch import FeedFetcher
from activities.models import FetchFeedInput

SHORT_READ_TIMEOUT = FeedLimits(timeout=httpx.Timeout(5.0, read=0.5))


def feed_request(newsroom_url: str, slug: str) -> FetchFeedInput:
    return FetchFeedInput(url=f"{newsroom_url}/feeds/{slug}.xml")


async def test_a_malformed_feed_is_a_non_retryable_feed_malformed_error(
    activity_environment: ActivityEnvironment,
    newsroom_url: str,
    newsroom_admin: httpx.Client,
    newsroom_fetcher: FeedFetcher,
) -> None:
    newsroom_admin.post(
        "/faults", json={"feed": "lab-notes", "mode": "malformed"}
    ).raise_for_status()

    with pytest.raises(ApplicationError) as raised:
        await activity_environment.run(
            newsroom_fetcher.fetch_feed, feed_request(newsroom_url, "lab-notes")
        )

    assert raised.value.type == FeedError.MALFORMED
    assert raised.value.non_retryable


async def test_an_empty_feed_is_a_result_with_no_entries(
    activity_environment: ActivityEnvironment,
    newsroom_url: str,
    newsroom_admin: httpx.Client,
    newsroom_fetcher: FeedFetcher,
) -> None:
    newsroom_admin.post("/faults", json={"feed": "the-ledger", "mode": "empty"}).raise_for_status()

    result = await activity_environment.run(
        newsroom_fetcher.fetch_feed, feed_request(newsroom_url, "the-ledger")
    )

    assert result.source_name == "The Ledger"
    assert result.entries == []


async def test_a_feed_above_the_size_cap_is_a_non_retryable_feed_too_large_error(
    activity_environment: ActivityEnvironment,
    newsroom_url: str,
    newsroom_admin: httpx.Client,
    newsroom_guard: AddressGuard,
) -> None:
    fault = {"feed": "final-whistle", "mode": "oversize", "bytes": 1_000_000}
    newsroom_admin.post("/faults", json=fault).raise_for_status()
    url = f"{newsroom_url}/feeds/final-whistle.xml"

    with pytest.raises(ApplicationError) as raised:
        await activity_environment.run(
            download_feed, url, newsroom_guard, FeedLimits(max_bytes=100_000)
        )

    assert raised.value.type == FeedError.TOO_LARGE
    assert raised.value.non_retryable


async def test_fetch_feed_refuses_a_feed_above_the_default_size_cap(
    activity_environment: ActivityEnvironment,
    newsroom_url: str,
    newsroom_admin: httpx.Client,
    newsroom_fetcher: FeedFetcher,
) -> None:
    fault = {"feed": "stage-and-page", "mode": "oversize", "bytes": 3_000_000}
    newsroom_admin.post("/faults", json=fault).raise_for_status()

    with pytest.raises(ApplicationError) as raised:
        await activity_environment.run(
            newsroom_fetcher.fetch_feed, feed_request(newsroom_url, "stage-and-page")
        )

    assert raised.value.type == FeedError.TOO_LARGE
    assert raised.value.non_retryable


async def test_a_server_error_is_a_retryable_feed_unavailable_error_naming_the_status(
    activity_environment: ActivityEnvironment,
    newsroom_url: str,
    newsroom_admin: httpx.Client,
    newsroom_fetcher: FeedFetcher,
) -> None:
    newsroom_admin.post(
        "/faults", json={"feed": "circuit-daily", "mode": "error"}
    ).raise_for_status()

    with pytest.raises(ApplicationError) as raised:
        await activity_environment.run(
            newsroom_fetcher.fetch_feed, feed_request(newsroom_url, "circuit-daily")
        )

    assert raised.value.type == FeedError.UNAVAILABLE
    assert not raised.value.non_retryable
    assert "500" in raised.value.message


async def test_a_feed_that_hangs_past_the_read_timeout_is_a_retryable_feed_timeout_error(
    activity_environment: ActivityEnvironment,
    newsroom_url: str,
    newsroom_admin: httpx.Client,
    newsroom_guard: AddressGuard,
) -> None:
    fault = {"feed": "harbour-herald", "mode": "timeout", "seconds": 3, "count": 1}
    newsroom_admin.post("/faults", json=fault).raise_for_status()
    url = f"{newsroom_url}/feeds/harbour-herald.xml"

    with pytest.raises(ApplicationError) as raised:
        await activity_environment.run(download_feed, url, newsroom_guard, SHORT_READ_TIMEOUT)

    assert raised.value.type == FeedError.TIMEOUT
    assert not raised.value.non_retryable


async def test_an_unknown_feed_path_is_a_non_retryable_feed_rejected_error(
    activity_environment: ActivityEnvironment,
    newsroom_url: str,
    newsroom_fetcher: FeedFetcher,
) -> None:
    request = feed_request(newsroom_url, "no-such-outlet")

    with pytest.raises(ApplicationError) as raised:
        await activity_environment.run(newsroom_fetcher.fetch_feed, request)

    assert raised.value.type == FeedError.REJECTED
    assert raised.value.non_retryable
    assert "404" in raised.value.message


async def test_a_closed_port_is_a_retryable_feed_unavailable_error(
    activity_environment: ActivityEnvironment, closed_port_url: str
) -> None:
    request = FetchFeedInput(url=f"{closed_port_url}/feeds/harbour-herald.xml")

    with pytest.raises(ApplicationError) as raised:
        await activity_environment.run(FeedFetcher([closed_port_url]).fetch_feed, request)

    assert raised.value.type == FeedError.UNAVAILABLE
    assert not raised.value.non_retryable


async def test_a_content_encoding_we_do_not_decode_is_refused(
    activity_environment: ActivityEnvironment, hostile_url: str
) -> None:
    request = FetchFeedInput(url=f"{hostile_url}/unknown-encoding.xml")

    with pytest.raises(ApplicationError) as raised:
        await activity_environment.run(FeedFetcher([hostile_url]).fetch_feed, request)

    assert raised.value.type == FeedError.UNSUPPORTED_ENCODING
    assert raised.value.non_retryable
    assert raised.value.message == (
        f"feed refused: {request.url} uses an unsupported Content-Encoding: xz"
    )
