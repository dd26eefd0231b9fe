"""Every outlet's feed, as a feed reader sees it, over real HTTP."""

from pathlib import Path

import feedparser
import httpx
import pytest

from core.host_check import allowed_host_names
from demo.newsroom.outlets import OUTLETS, OUTLETS_BY_SLUG, Outlet, feed_path
from demo.newsroom.server import create_app
from testing.servers import serve_in_thread
from tests.demo.newsroom.content_files import story_record, write_content

EXPECTED_VERSION = {"rss": "rss20", "atom": "atom10"}
EXPECTED_MEDIA_TYPE = {"rss": "application/rss+xml", "atom": "application/atom+xml"}

every_outlet = pytest.mark.parametrize("outlet", OUTLETS, ids=lambda outlet: outlet.slug)


def _parsed(client: httpx.Client, outlet: Outlet) -> feedparser.FeedParserDict:
    response = client.get(feed_path(outlet))
    response.raise_for_status()
    return feedparser.parse(response.content)


@every_outlet
def test_feed_parses_cleanly_in_the_outlets_own_format(
    packaged_newsroom: httpx.Client, outlet: Outlet
) -> None:
    parsed = _parsed(packaged_newsroom, outlet)

    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version.startswith(EXPECTED_VERSION[outlet.feed_format])
    assert parsed.feed.title == outlet.name


@every_outlet
def test_feed_is_served_with_its_format_media_type_in_utf8(
    packaged_newsroom: httpx.Client, outlet: Outlet
) -> None:
    response = packaged_newsroom.get(feed_path(outlet))

    content_type = response.headers["content-type"]
    assert content_type.startswith(EXPECTED_MEDIA_TYPE[outlet.feed_format])
    assert "charset=utf-8" in content_type


@every_outlet
def test_feed_entries_carry_title_link_date_author_summary_and_full_story(
    packaged_newsroom: httpx.Client, outlet: Outlet
) -> None:
    entries = _parsed(packaged_newsroom, outlet).entries

    assert entries
    for entry in entries:
        assert entry.title and entry.link and entry.author and entry.summary
        assert entry.published_parsed is not None
        assert entry.content[0].type == "text/html"
        assert entry.content[0].value.count("<p>") >= 1


@every_outlet
def test_feed_links_resolve_to_article_pages(
    packaged_newsroom: httpx.Client, outlet: Outlet
) -> None:
    entries = _parsed(packaged_newsroom, outlet).entries

    assert entries
    for entry in entries:
        page = packaged_newsroom.get(entry.link)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")


def test_feed_lists_stories_newest_first(tmp_path: Path) -> None:
    hours_ago = {"middle": 3.0, "newest": 1.0, "oldest": 5.0}
    records = [story_record(slug, published_hours_ago=hours) for slug, hours in hours_ago.items()]
    write_content(tmp_path, "world.json", records)

    with serve_in_thread(create_app(content_dir=tmp_path)) as base_url:
        response = httpx.get(base_url + feed_path(OUTLETS_BY_SLUG["harbour-herald"]))

    links = [entry.link for entry in feedparser.parse(response.content).entries]
    assert [link.rsplit("/", 1)[1] for link in links] == ["newest", "middle", "oldest"]


def test_feed_links_follow_the_host_the_request_arrived_at(fixture_content: Path) -> None:
    # Only a name the newsroom answers (core/host_check.py): compose's `newsroom`, say.
    allowed = allowed_host_names(extra=["news.example.test"])
    with serve_in_thread(create_app(content_dir=fixture_content, allowed_hosts=allowed)) as url:
        headers = {"Host": "news.example.test:9999"}
        response = httpx.get(url + feed_path(OUTLETS[0]), headers=headers)

    entry = feedparser.parse(response.content).entries[0]
    assert entry.link.startswith("http://news.example.test:9999/stories/")


def test_unknown_feed_is_not_found(newsroom: httpx.Client) -> None:
    assert newsroom.get("/feeds/no-such-outlet.xml").status_code == 404
