"""Article extraction in the parsing children's pool: the same limited children as feed parsing,
with messages that say what was being done."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError

from activities.articles.limits import ArticleLimits
from activities.errors import FeedError
from activities.feeds.child_jobs import ChildJob
from activities.feeds.limits import FeedLimits
from activities.feeds.parser_pool import FeedParserPool
from tests.activities.articles.page_servers import PAGES, huge_dom
from tests.activities.feeds.hostile_servers import item, rss

PAGE_URL = "http://pages.test/story.html"
FEED = rss(item("A plain story")).encode()
PAGE = (PAGES / "harbour-barrier.html").read_bytes()


@pytest.fixture
async def pool() -> AsyncIterator[FeedParserPool]:
    pool = FeedParserPool()
    yield pool
    await pool.close()


async def test_one_child_parses_feeds_and_extracts_articles_in_turn(pool: FeedParserPool) -> None:
    feed_limits, article_limits = FeedLimits(), ArticleLimits()

    first = await pool.parse("http://pages.test/feed.xml", FEED, feed_limits)
    article = await pool.run(ChildJob.ARTICLE_EXTRACTION, PAGE_URL, PAGE, article_limits.child_job)
    second = await pool.parse("http://pages.test/feed.xml", FEED, feed_limits)

    assert [entry.title for entry in first.entries + second.entries] == ["A plain story"] * 2
    assert "Ines Varga, welcomed the decision." in article["text"]
    assert article["paywalled"] is False
    assert pool.children_started == 1
    [child] = pool.idle_children
    assert Path(f"/proc/{child.process.pid}/environ").read_bytes() == b""


async def test_an_extraction_past_the_wall_clock_limit_is_a_retryable_timeout(
    pool: FeedParserPool,
) -> None:
    # CPU to spare but no time: the machine is too busy, which another attempt may not be.
    limits = ArticleLimits(extract_cpu_seconds=120, extract_wall_seconds=1).child_job

    with pytest.raises(ApplicationError) as raised:
        await pool.run(ChildJob.ARTICLE_EXTRACTION, PAGE_URL, huge_dom(), limits)

    assert raised.value.type == FeedError.TIMEOUT
    assert not raised.value.non_retryable
    assert raised.value.message == f"extracting the text of {PAGE_URL} did not finish within 1 s"
    assert pool.idle_children == ()
