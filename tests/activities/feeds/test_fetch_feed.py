"""fetch_feed against the real demo newsroom: what a healthy feed turns into."""

import re

import pytest
from temporalio.testing import ActivityEnvironment

from activities.fetch import FeedFetcher
from activities.models import ENTRIES_PER_FEED_MAX, EXCERPT_MAX_CHARS, FetchFeedInput
from demo.newsroom.outlets import OUTLETS_BY_SLUG
from tests.activities.feeds.crowded_feeds import (
    CROWDED_OUTLETS,
    LONG_STORY_TEXT,
    STORIES_PER_OUTLET,
)

HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
RSS_AND_ATOM = pytest.mark.parametrize(
    "slug", ["harbour-herald", "circuit-daily"], ids=["rss", "atom"]
)
# Feeds that carry text besides headlines, as HTML: the whole story (RSS), standfirsts (Atom).
RSS_AND_ATOM_WITH_TEXT = pytest.mark.parametrize(
    "slug", ["final-whistle", "stage-and-page"], ids=["rss", "atom"]
)
CROWDED_RSS_AND_ATOM = pytest.mark.parametrize("slug", CROWDED_OUTLETS, ids=["rss", "atom"])


@RSS_AND_ATOM
async def test_every_entry_has_a_title_a_link_a_publication_time_and_the_outlet_name(
    activity_environment: ActivityEnvironment,
    newsroom_url: str,
    slug: str,
    newsroom_fetcher: FeedFetcher,
) -> None:
    url = f"{newsroom_url}/feeds/{slug}.xml"

    result = await activity_environment.run(newsroom_fetcher.fetch_feed, FetchFeedInput(url=url))

    assert result.entries
    assert result.source_name == OUTLETS_BY_SLUG[slug].name
    for entry in result.entries:
        assert entry.title
        assert entry.link.startswith(f"{newsroom_url}/stories/")
        assert entry.published is not None
        assert entry.source_name == OUTLETS_BY_SLUG[slug].name
        assert entry.source_url == url


@RSS_AND_ATOM_WITH_TEXT
async def test_excerpts_are_plain_text_without_html_tags(
    activity_environment: ActivityEnvironment,
    newsroom_url: str,
    slug: str,
    newsroom_fetcher: FeedFetcher,
) -> None:
    request = FetchFeedInput(url=f"{newsroom_url}/feeds/{slug}.xml")

    result = await activity_environment.run(newsroom_fetcher.fetch_feed, request)

    for entry in result.entries:
        assert entry.excerpt
        assert not HTML_TAG.search(entry.excerpt)
        assert len(entry.excerpt) <= EXCERPT_MAX_CHARS


@CROWDED_RSS_AND_ATOM
async def test_a_long_feed_is_cut_to_its_newest_entries(
    activity_environment: ActivityEnvironment, crowded_newsroom_url: str, slug: str
) -> None:
    request = FetchFeedInput(url=f"{crowded_newsroom_url}/feeds/{slug}.xml")

    result = await activity_environment.run(FeedFetcher([crowded_newsroom_url]).fetch_feed, request)

    assert STORIES_PER_OUTLET > ENTRIES_PER_FEED_MAX
    assert len(result.entries) == ENTRIES_PER_FEED_MAX
    published = [entry.published for entry in result.entries]
    assert None not in published, "every generated story is dated"
    assert published == sorted(filter(None, published), reverse=True)
    assert result.entries[0].link.endswith(f"/stories/{slug}-0")


@CROWDED_RSS_AND_ATOM
async def test_a_long_story_is_cut_to_the_excerpt_cap_on_a_word_boundary(
    activity_environment: ActivityEnvironment, crowded_newsroom_url: str, slug: str
) -> None:
    request = FetchFeedInput(url=f"{crowded_newsroom_url}/feeds/{slug}.xml")

    result = await activity_environment.run(FeedFetcher([crowded_newsroom_url]).fetch_feed, request)

    for entry in result.entries:
        assert EXCERPT_MAX_CHARS - 100 < len(entry.excerpt) <= EXCERPT_MAX_CHARS
        kept = entry.excerpt.removesuffix("…")
        assert kept != entry.excerpt
        assert LONG_STORY_TEXT.startswith(kept)
        assert LONG_STORY_TEXT[len(kept)] in " \n"
