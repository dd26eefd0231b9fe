"""Bidi controls and invisible characters in a feed served over HTTP never reach a briefing."""

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from temporalio.testing import ActivityEnvironment

from activities.fetch import FeedFetcher
from activities.models import FetchFeedInput
from testing.servers import serve_in_thread

# "Minister resigns" followed by a right-to-left override: shown as "...fdp.lacsif", a spoof.
REVERSED_TITLE = "Minister resigns \u202efdp.lacsif\u202c today"
# Zero-width spaces and a word joiner split "bank" so a filter misses it; a BOM hides in front.
HIDDEN_WORDS = "\ufeffb\u200ban\u2060k run \u2066isolated\u2069 \u200fmark"
# A family emoji is joined with ZWJ: that one must stay.
EMOJI_FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
INVISIBLE = set("\u202e\u202c\ufeff\u200b\u2060\u2066\u2069\u200f")


def _feed() -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>http://spoof.test/{n}</link>"
        f"<description>{body}</description></item>"
        for n, (title, body) in enumerate(
            [(REVERSED_TITLE, HIDDEN_WORDS), (f"Family day {EMOJI_FAMILY}", "Picnic.")]
        )
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Spoof\u202e News</title><link>http://spoof.test/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture(scope="module")
def spoofing_feed_url() -> Iterator[str]:
    async def feed(request: object) -> Response:
        return Response(_feed(), media_type="application/rss+xml")

    with serve_in_thread(Starlette(routes=[Route("/feed.xml", feed)])) as url:
        yield url


async def test_bidi_controls_and_zero_width_characters_are_stripped_from_feed_text(
    activity_environment: ActivityEnvironment, spoofing_feed_url: str
) -> None:
    fetcher = FeedFetcher([spoofing_feed_url])

    result = await activity_environment.run(
        fetcher.fetch_feed, FetchFeedInput(url=f"{spoofing_feed_url}/feed.xml")
    )

    by_link = {entry.link: entry for entry in result.entries}
    reversed_story, family_story = by_link["http://spoof.test/0"], by_link["http://spoof.test/1"]
    texts = [result.source_name, reversed_story.title, reversed_story.excerpt]
    assert not INVISIBLE & set("".join(texts))
    assert reversed_story.title == "Minister resigns fdp.lacsif today"
    assert reversed_story.excerpt == "bank run isolated mark"
    assert result.source_name == "Spoof News"
    assert family_story.title == f"Family day {EMOJI_FAMILY}"
