"""Hostile feeds through the real fetch_feed activity: each one is refused, or parsed harmlessly.

Every refusal is typed and non-retryable, and its message starts "feed refused:", which is what
the briefing page shows for a failed source.
"""

from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.errors import FeedError
from activities.feeds.limits import FeedLimits
from activities.fetch import FeedFetcher
from activities.models import FetchFeedInput, FetchFeedResult


async def fetch(
    environment: ActivityEnvironment, base_url: str, path: str, limits: FeedLimits | None = None
) -> FetchFeedResult:
    fetcher = FeedFetcher([base_url], limits or FeedLimits())
    return await environment.run(fetcher.fetch_feed, FetchFeedInput(url=f"{base_url}{path}"))


async def refusal(
    environment: ActivityEnvironment, base_url: str, path: str, limits: FeedLimits | None = None
) -> ApplicationError:
    with pytest.raises(ApplicationError) as raised:
        await fetch(environment, base_url, path, limits)
    assert raised.value.non_retryable
    return raised.value


def canary_hits(hostile_url: str) -> int:
    return int(httpx.get(f"{hostile_url}/canary-hits").text)


@pytest.mark.parametrize(
    "feed", ["billion-laughs.xml", "billion-laughs-utf16.xml", "quadratic-blowup.xml"]
)
async def test_an_entity_expansion_bomb_is_refused_before_it_expands(
    activity_environment: ActivityEnvironment, hostile_url: str, feed: str
) -> None:
    error = await refusal(activity_environment, hostile_url, f"/feeds/{feed}")

    assert error.type == FeedError.UNSAFE_XML
    assert error.message.startswith("feed refused: ")
    assert "declares XML entities" in error.message


async def test_an_external_entity_naming_a_local_file_is_refused_and_the_file_never_read(
    activity_environment: ActivityEnvironment, hostile_url: str
) -> None:
    error = await refusal(activity_environment, hostile_url, "/feeds/external-entity-file.xml")

    assert error.type == FeedError.UNSAFE_XML
    assert "root:" not in error.message


async def test_an_external_entity_naming_a_url_is_refused_and_never_fetched(
    activity_environment: ActivityEnvironment, hostile_url: str
) -> None:
    hits_before = canary_hits(hostile_url)

    error = await refusal(activity_environment, hostile_url, "/feeds/external-entity-http.xml")

    assert error.type == FeedError.UNSAFE_XML
    assert canary_hits(hostile_url) == hits_before


async def test_an_external_dtd_is_never_fetched_and_the_feed_still_parses(
    activity_environment: ActivityEnvironment, hostile_url: str
) -> None:
    hits_before = canary_hits(hostile_url)

    result = await fetch(activity_environment, hostile_url, "/feeds/external-dtd.xml")

    assert [entry.title for entry in result.entries] == ["A plain story"]
    assert canary_hits(hostile_url) == hits_before


@pytest.mark.parametrize(
    "path", ["/gzip-bomb.xml", "/gzip-1-layers-bomb.xml", "/encoded/gzip-with-long-comment.xml"]
)
async def test_a_gzip_bomb_is_capped_on_its_decoded_size(
    activity_environment: ActivityEnvironment, hostile_url: str, path: str
) -> None:
    # 10 MiB, and 1 GiB in 1 MB on the wire, are decoded only up to the cap; a 3 MiB gzip
    # comment, which decodes to nothing, is capped on the bytes received.
    error = await refusal(activity_environment, hostile_url, path)

    assert error.type == FeedError.TOO_LARGE
    assert error.message == f"feed refused: {hostile_url}{path} is larger than the 2 MiB size cap"


@pytest.mark.parametrize("layers", [2, 3])
async def test_a_gzip_bomb_in_stacked_layers_is_refused_before_anything_is_decoded(
    activity_environment: ActivityEnvironment, hostile_url: str, layers: int
) -> None:
    # 1 GiB of zeros gzipped twice (2.5 KB) or three times (233 B).
    path = f"/gzip-{layers}-layers-bomb.xml"

    error = await refusal(activity_environment, hostile_url, path)

    assert error.type == FeedError.UNSUPPORTED_ENCODING
    codings = ", ".join(["gzip"] * layers)
    assert error.message == (
        f"feed refused: {hostile_url}{path} uses stacked Content-Encoding {codings}"
    )


async def test_two_content_encoding_header_lines_are_stacked_layers_too(
    activity_environment: ActivityEnvironment, hostile_url: str
) -> None:
    path = "/gzip-in-two-header-lines.xml"

    error = await refusal(activity_environment, hostile_url, path)

    assert error.type == FeedError.UNSUPPORTED_ENCODING
    assert error.message == (
        f"feed refused: {hostile_url}{path} uses stacked Content-Encoding gzip, gzip"
    )


@pytest.mark.parametrize("path", ["/huge-declared.xml", "/huge-chunked.xml"])
async def test_a_20_mb_feed_is_refused_at_the_size_cap_with_or_without_a_content_length(
    activity_environment: ActivityEnvironment, hostile_url: str, path: str
) -> None:
    error = await refusal(activity_environment, hostile_url, path)

    assert error.type == FeedError.TOO_LARGE
    assert error.message == f"feed refused: {hostile_url}{path} is larger than the 2 MiB size cap"


async def test_a_body_that_drips_forever_is_cut_off_by_the_total_deadline(
    activity_environment: ActivityEnvironment, hostile_url: str
) -> None:
    # Each byte arrives well within the read timeout: only the whole-download deadline can end it.
    limits = FeedLimits(total_seconds=2)

    error = await refusal(activity_environment, hostile_url, "/slow-drip.xml", limits)

    assert error.type == FeedError.TOO_SLOW
    assert (
        error.message == f"feed refused: {hostile_url}/slow-drip.xml took longer than 2 s in total"
    )


async def test_a_redirect_to_loopback_is_refused_even_though_a_feed_is_served_there(
    activity_environment: ActivityEnvironment, hostile_url: str, newsroom_url: str
) -> None:
    loopback_feed = f"{newsroom_url}/feeds/harbour-herald.xml"

    error = await refusal(activity_environment, hostile_url, f"/redirect?to={quote(loopback_feed)}")

    assert error.type == FeedError.REFUSED
    assert error.message == "feed refused: 127.0.0.1 is not an allowed source"


async def test_a_redirect_to_the_cloud_metadata_address_is_refused(
    activity_environment: ActivityEnvironment, hostile_url: str
) -> None:
    metadata = quote("http://169.254.169.254/latest/meta-data/")

    error = await refusal(activity_environment, hostile_url, f"/redirect?to={metadata}")

    assert error.type == FeedError.REFUSED
    assert error.message == "feed refused: 169.254.169.254 is not an allowed source"


async def test_the_backtracking_author_string_is_stopped_at_the_parse_time_limit(
    activity_environment: ActivityEnvironment, hostile_url: str
) -> None:
    # Unlimited, this feed parses for about two minutes; the child is stopped after 1 s of CPU.
    limits = FeedLimits(parse_cpu_seconds=1)

    error = await refusal(
        activity_environment, hostile_url, "/feeds/backtracking-author.xml", limits
    )

    assert error.type == FeedError.PARSING_TOO_SLOW
    assert error.message == (
        f"feed refused: parsing {hostile_url}/feeds/backtracking-author.xml took longer than 1 s"
    )


async def test_a_body_naming_a_local_file_is_parsed_as_bytes_never_opened(
    activity_environment: ActivityEnvironment, hostile_url: str, tmp_path: Path
) -> None:
    local_feed = tmp_path / "local.xml"
    local_feed.write_text(
        '<rss version="2.0"><channel><title>Local secret</title><item><title>secret</title>'
        "<link>http://local.test/</link></item></channel></rss>"
    )

    with pytest.raises(ApplicationError) as raised:
        await fetch(activity_environment, hostile_url, f"/path-as-body.xml?path={local_feed}")

    assert raised.value.type == FeedError.MALFORMED
    assert "Local secret" not in raised.value.message


async def test_script_tags_and_javascript_links_are_parsed_into_plain_text_and_http_links(
    activity_environment: ActivityEnvironment, hostile_url: str
) -> None:
    result = await fetch(activity_environment, hostile_url, "/feeds/script-and-javascript.xml")

    assert result.entries, "the well-formed stories are kept"
    for entry in result.entries:
        for text in (entry.title, entry.excerpt):
            assert "<" not in text and ">" not in text
            assert "alert(" not in text
            assert "javascript:" not in text.lower()
        assert entry.link == "" or urlsplit(entry.link).scheme in ("http", "https")
    assert "Click me" not in [entry.title for entry in result.entries if entry.link]
