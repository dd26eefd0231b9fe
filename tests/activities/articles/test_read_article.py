"""read_article on honest pages and honest failures: the article's text when there is one, the
feed's with the reason when not, and download failures typed and retryable as a feed's are."""

import httpx
import pytest
from temporalio.testing import ActivityEnvironment

from activities.articles.limits import ArticleLimits
from activities.articles.reader import ArticleReader, fetched_from
from activities.errors import FeedError
from activities.models import ReadArticleInput, TextSource
from tests.activities.articles.reading import failure, read

BARRIER_SENTENCES = [
    "The city council voted on Tuesday night to build a movable tidal barrier",
    "The harbour master, Ines Varga, welcomed the decision.",
    "the council expects the first gates to be in place before the winter of 2029.",
]
BARRIER_CLUTTER = [
    "We use cookies",  # the cookie banner
    "Subscribe today",  # the navigation
    "Sail away this winter",  # an advertisement
    "Record number of wading birds",  # related stories
    "My cellar has flooded",  # a comment
    "Join the conversation",
    "morning briefing in your inbox",  # the newsletter box
    "All rights reserved",  # the footer
    "dataLayer",  # a script
]


async def test_a_cluttered_news_page_gives_its_story_without_the_clutter(pages_url: str) -> None:
    read_page = await read(f"{pages_url}/pages/harbour-barrier.html", [pages_url], feed_chars=200)

    assert read_page.source == TextSource.ARTICLE
    assert read_page.reason is None
    for sentence in BARRIER_SENTENCES:
        assert sentence in read_page.text
    for clutter in BARRIER_CLUTTER:
        assert clutter not in read_page.text
    assert read_page.attempt == 1


async def test_a_page_of_plain_divs_gives_its_story_without_menus_or_widgets(
    pages_url: str,
) -> None:
    read_page = await read(f"{pages_url}/pages/observatory-divs.html", [pages_url])

    assert read_page.source == TextSource.ARTICLE
    assert "recorded its first images on Monday night" in read_page.text
    assert "universities that helped to pay for it." in read_page.text
    for clutter in ["Sign in", "This site uses cookies", "Ten facts about comets", "Copyright"]:
        assert clutter not in read_page.text


async def test_a_page_with_less_text_than_the_feed_keeps_the_feeds_text(pages_url: str) -> None:
    url = f"{pages_url}/pages/observatory-divs.html"
    article_chars = len((await read(url, [pages_url])).text)

    read_page = await read(url, [pages_url], feed_chars=article_chars + 1)

    assert read_page.source == TextSource.FEED
    assert read_page.text == ""
    assert read_page.reason == (
        f"the article text ({article_chars:,} characters) is shorter than the feed's "
        f"({article_chars + 1:,})"
    )


async def test_a_paywalled_stub_keeps_the_feeds_text_and_says_why(pages_url: str) -> None:
    read_page = await read(f"{pages_url}/pages/paywalled-stub.html", [pages_url])

    assert read_page.source == TextSource.FEED
    assert read_page.reason == "the page is behind a paywall"
    assert read_page.text == ""


async def test_a_redirect_to_a_page_of_a_trusted_host_is_followed(pages_url: str) -> None:
    target = f"{pages_url}/pages/harbour-barrier.html"

    read_page = await read(f"{pages_url}/redirect?to={target}", [pages_url])

    assert read_page.source == TextSource.ARTICLE
    assert BARRIER_SENTENCES[0] in read_page.text


async def test_a_pdf_keeps_the_feeds_text_and_its_body_is_never_read(pages_url: str) -> None:
    # Its body stalls after the first bytes: reading any of it would end in a read timeout.
    impatient = ArticleLimits(timeout=httpx.Timeout(5.0, read=1.0))

    read_page = await read(f"{pages_url}/report.pdf", [pages_url], limits=impatient)

    assert read_page.source == TextSource.FEED
    assert read_page.reason == "the link is a PDF, not a web page"


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("clip.mp4", "a video"),
        ("photo.png", "an image"),
        ("download.bin", '"application/octet-stream"'),
    ],
)
async def test_a_link_that_is_not_a_web_page_keeps_the_feeds_text_naming_its_type(
    pages_url: str, name: str, named: str
) -> None:
    read_page = await read(f"{pages_url}/files/{name}", [pages_url])

    assert read_page.source == TextSource.FEED
    assert read_page.reason == f"the link is {named}, not a web page"


async def test_an_untyped_body_that_looks_like_html_is_read_as_a_page(pages_url: str) -> None:
    read_page = await read(f"{pages_url}/untyped/html", [pages_url])

    assert read_page.source == TextSource.ARTICLE
    assert BARRIER_SENTENCES[1] in read_page.text


async def test_an_untyped_body_that_is_not_html_keeps_the_feeds_text(pages_url: str) -> None:
    read_page = await read(f"{pages_url}/untyped/binary", [pages_url])

    assert read_page.source == TextSource.FEED
    assert read_page.reason == "the link sent no Content-Type and does not look like a web page"


async def test_an_empty_page_keeps_the_feeds_text(pages_url: str) -> None:
    read_page = await read(f"{pages_url}/empty.html", [pages_url])

    assert read_page.source == TextSource.FEED
    assert read_page.reason == "the page was empty"


async def test_a_missing_page_is_a_non_retryable_rejection(pages_url: str) -> None:
    error = await failure(f"{pages_url}/status/404", [pages_url])

    assert error.type == FeedError.REJECTED
    assert error.non_retryable
    assert error.message == f"{pages_url}/status/404 answered HTTP 404"


@pytest.mark.parametrize("status", [503, 429])
async def test_an_unavailable_page_is_a_retryable_failure(pages_url: str, status: int) -> None:
    error = await failure(f"{pages_url}/status/{status}", [pages_url])

    assert error.type == FeedError.UNAVAILABLE
    assert not error.non_retryable
    assert error.message == f"{pages_url}/status/{status} answered HTTP {status}"


async def test_a_page_whose_public_origin_has_an_alias_is_read_from_the_alias(
    pages_url: str,
) -> None:
    # As in containers: the newsroom links to localhost for browsers, the worker reads it by name.
    public = "http://newsroom.invalid:8100"
    reader = ArticleReader([pages_url], ArticleLimits(), aliases={public: pages_url})
    request = ReadArticleInput(url=f"{public}/pages/harbour-barrier.html", feed_chars=200)

    read_page = await ActivityEnvironment().run(reader.read_article, request)

    assert read_page.source == TextSource.ARTICLE
    assert BARRIER_SENTENCES[0] in read_page.text
    assert fetched_from(f"{public}x/page", {public: pages_url}) == f"{public}x/page"
