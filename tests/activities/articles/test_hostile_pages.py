"""Hostile story pages through the real read_article activity: each is refused, typed and
non-retryable, or read harmlessly; none reaches an address it may not."""

from urllib.parse import quote

import pytest

from activities.articles.limits import ArticleLimits
from activities.errors import FeedError
from activities.models import TextSource
from tests.activities.articles.reading import failure, hits, read
from tests.activities.feeds.encoded_bodies import gzip_layers

METADATA_URL = "http://169.254.169.254/latest/meta-data/"


async def test_a_huge_dom_is_stopped_at_the_extraction_cpu_limit(pages_url: str) -> None:
    # 200,000 elements take trafilatura about 9 s of CPU on our machine, close to the default
    # 10 s: a limit of 1 s makes the outcome the same on any machine.
    url = f"{pages_url}/hostile/huge-dom.html"

    error = await failure(url, [pages_url], ArticleLimits(extract_cpu_seconds=1))

    assert error.type == FeedError.PARSING_TOO_SLOW
    assert error.non_retryable
    assert error.message == f"page refused: extracting the text of {url} took longer than 1 s"


async def test_deep_nesting_is_parsed_to_a_bounded_depth_and_keeps_the_feeds_text(
    pages_url: str,
) -> None:
    # 100,000 nested divs: the HTML parser stops descending at its depth limit (256), so the
    # paragraphs inside are never reached; no recursion in the worker, no crash in the child.
    read_page = await read(f"{pages_url}/hostile/deep-nesting.html", [pages_url])

    assert read_page.source == TextSource.FEED
    assert read_page.reason == "the page had no article text"


async def test_a_4_mib_inline_script_is_dropped_and_the_story_read(pages_url: str) -> None:
    read_page = await read(f"{pages_url}/hostile/big-script.html", [pages_url])

    assert read_page.source == TextSource.ARTICLE
    assert "agreed to build a tidal barrier" in read_page.text
    assert "tracker" not in read_page.text


async def test_structured_data_nested_past_the_stack_is_ignored_and_the_story_read(
    pages_url: str,
) -> None:
    # 100,000 arrays deep: json's reader gives up (RecursionError); the paywall check reads
    # no mark from it, and the article around it is read as any other.
    read_page = await read(f"{pages_url}/hostile/nested-json-ld.html", [pages_url])

    assert read_page.source == TextSource.ARTICLE
    assert "agreed to build a tidal barrier" in read_page.text


@pytest.fixture
def gzip_bomb_built() -> None:
    # A third of a second of CPU, once per process: built before the request, not inside its
    # read timeout.
    gzip_layers(1)


@pytest.mark.usefixtures("gzip_bomb_built")
async def test_a_gzip_bomb_is_refused_at_the_page_size_cap(pages_url: str) -> None:
    # 1 GiB of zeros in 1 MB on the wire: decoded no further than one byte past 5 MiB.
    url = f"{pages_url}/hostile/gzip-bomb.html"

    error = await failure(url, [pages_url])

    assert error.type == FeedError.TOO_LARGE
    assert error.non_retryable
    assert error.message == f"page refused: {url} is larger than the 5 MiB size cap"


async def test_a_meta_refresh_is_never_followed_even_to_a_host_we_would_fetch(
    pages_url: str, canary_url: str
) -> None:
    # The canary is trusted here, so only our never following a refresh (or a script's
    # location.href) keeps it silent: the guard alone would refuse an untrusted loopback.
    hits_before = hits(canary_url, "canary")
    page = f"{pages_url}/meta-refresh.html?to={quote(canary_url + '/from-refresh')}"

    read_page = await read(page, [pages_url, canary_url], feed_chars=200)

    assert read_page.source == TextSource.FEED
    assert read_page.reason is not None
    assert read_page.reason.startswith("the article text (")
    assert "canary" not in read_page.text
    assert hits(canary_url, "canary") == hits_before


async def test_a_meta_refresh_to_the_cloud_metadata_address_is_only_text(pages_url: str) -> None:
    page = f"{pages_url}/meta-refresh.html?to={quote(METADATA_URL)}"

    read_page = await read(page, [pages_url], feed_chars=200)

    assert read_page.source == TextSource.FEED
    assert read_page.reason is not None and "shorter than the feed's (200)" in read_page.reason


@pytest.mark.parametrize("target", ["canary", "metadata"])
async def test_a_redirect_to_a_private_address_is_refused_and_never_requested(
    pages_url: str, canary_url: str, target: str
) -> None:
    # The canary's loopback port is not configured: to the guard it is any private address.
    target_url = {"canary": f"{canary_url}/from-redirect", "metadata": METADATA_URL}[target]
    host = {"canary": "127.0.0.1", "metadata": "169.254.169.254"}[target]
    hits_before = hits(canary_url, "canary")

    error = await failure(f"{pages_url}/redirect?to={quote(target_url)}", [pages_url])

    assert error.type == FeedError.REFUSED
    assert error.non_retryable
    assert error.message == f"page refused: {host} is not an allowed source"
    assert hits(canary_url, "canary") == hits_before


async def test_a_redirect_chain_that_never_ends_is_refused_after_five_hops(
    pages_url: str,
) -> None:
    hits_before = hits(pages_url, "loop")

    error = await failure(f"{pages_url}/loop/0", [pages_url])

    assert error.type == FeedError.REJECTED
    assert error.non_retryable
    assert error.message == f"{pages_url}/loop/6 redirects too often"
    assert hits(pages_url, "loop") - hits_before == 6  # the first request and five redirects
