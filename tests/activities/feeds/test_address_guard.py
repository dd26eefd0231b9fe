"""The SSRF guard: feeds on private addresses are refused unless configured as trusted."""

import ipaddress
import logging
import re
import socket

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.errors import FeedError
from activities.feeds.address_guard import AddressGuard, refusal_reason
from activities.feeds.download import download_feed
from activities.fetch import FeedFetcher
from activities.models import FetchFeedInput

PRIVATE_HOSTS = [
    "127.0.0.1",
    "10.0.0.5",
    "169.254.169.254",
    "100.64.0.1",
    "[::1]",
    "[fc00::1]",
    "[::ffff:127.0.0.1]",
    "224.0.0.1",
    "localhost",
    "192.0.0.8",
    "[fec0::1]",
    "[2002:a00:5::1]",  # 6to4 of 10.0.0.5
    "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
    "[64:ff9b:1::a9fe:a9fe]",  # local-use NAT64 of 169.254.169.254
]


async def refusal(url: str, guard: AddressGuard) -> ApplicationError:
    with pytest.raises(ApplicationError) as raised:
        await guard.check(httpx.URL(url))
    assert raised.value.type == FeedError.REFUSED
    assert raised.value.non_retryable
    return raised.value


@pytest.mark.parametrize("host", PRIVATE_HOSTS)
async def test_a_feed_on_a_non_public_address_is_refused(host: str) -> None:
    error = await refusal(f"http://{host}/feed.xml", AddressGuard())

    assert error.message.endswith(" is not an allowed source")


async def test_the_refusal_shown_names_no_address_and_the_log_says_why(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="activities.feeds.address_guard"):
        error = await refusal("http://localhost:9/feed.xml", AddressGuard())

    assert error.message == "feed refused: localhost is not an allowed source"
    assert "127.0.0.1" not in error.message and "::1" not in error.message
    assert re.search(r"address (127\.0\.0\.1|::1) is loopback", caplog.text)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("::ffff:127.0.0.1", "IPv4-mapped loopback"),
        ("2002:a00:5::1", "6to4 private"),
        ("64:ff9b::a00:5", "NAT64 private"),
        ("192.0.0.170", "an IETF protocol assignment"),
        ("fec0::1", "site-local"),
    ],
)
def test_an_address_wrapping_or_in_a_special_range_is_refused_for_what_it_is(
    address: str, reason: str
) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ["8.8.8.8", "2002:808:808::1", "64:ff9b::808:808"])
def test_public_addresses_and_their_wrapped_forms_pass(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


async def test_a_scheme_other_than_http_or_https_is_refused_even_for_a_trusted_host(
    activity_environment: ActivityEnvironment,
) -> None:
    fetcher = FeedFetcher(["example.com"])

    with pytest.raises(ApplicationError) as raised:
        await activity_environment.run(
            fetcher.fetch_feed, FetchFeedInput(url="ftp://example.com/feed")
        )

    assert raised.value.type == FeedError.REFUSED
    assert "scheme 'ftp'" in raised.value.message


async def test_a_trusted_loopback_host_is_fetched(
    activity_environment: ActivityEnvironment, newsroom_url: str
) -> None:
    request = FetchFeedInput(url=f"{newsroom_url}/feeds/harbour-herald.xml")

    result = await activity_environment.run(FeedFetcher([newsroom_url]).fetch_feed, request)

    assert result.entries


async def test_trust_is_per_port_so_another_port_on_the_same_host_is_refused(
    newsroom_url: str, closed_port_url: str
) -> None:
    error = await refusal(f"{closed_port_url}/feed.xml", AddressGuard([newsroom_url]))

    assert error.message == "feed refused: 127.0.0.1 is not an allowed source"


async def test_a_redirect_to_the_metadata_address_is_refused_at_the_hop(
    activity_environment: ActivityEnvironment, hostile_url: str
) -> None:
    fetcher = FeedFetcher([hostile_url])
    request = FetchFeedInput(url=f"{hostile_url}/to-metadata.xml")

    with pytest.raises(ApplicationError) as raised:
        await activity_environment.run(fetcher.fetch_feed, request)

    assert raised.value.type == FeedError.REFUSED
    assert raised.value.message == "feed refused: 169.254.169.254 is not an allowed source"


async def test_a_name_is_connected_to_by_its_checked_address_with_the_original_host_header(
    activity_environment: ActivityEnvironment, hostile_url: str
) -> None:
    port = httpx.URL(hostile_url).port
    if socket.getaddrinfo("localhost", port, type=socket.SOCK_STREAM)[0][4][0] != "127.0.0.1":
        pytest.skip("localhost resolves to ::1 first here; the test server listens on IPv4")
    guard = AddressGuard([f"localhost:{port}"])

    body = await activity_environment.run(download_feed, f"http://localhost:{port}/host", guard)

    assert body == f"localhost:{port}".encode()
