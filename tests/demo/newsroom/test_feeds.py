"""Every outlet's feed, as a feed reader sees it, over real HTTP."""

import html
import re
from pathlib import Path

import feedparser
import httpx
import pytest

from core.host_check import allowed_host_names
from demo.newsroom.catalogue import Story, load_catalogue
from demo.newsroom.outlets import OUTLETS, OUTLETS_BY_SLUG, Outlet, feed_path
from demo.newsroom.server import create_app
from testing.servers import serve_in_thread
from tests.demo.newsroom.content_files import story_record, write_content

EXPECTED_VERSION = {"rss": "rss20", "atom": "atom10"}
EXPECTED_MEDIA_TYPE = {"rss": "application/rss+xml", "atom": "application/atom+xml"}

every_outlet = pytest.mark.parametrize("outlet", OUTLETS, ids=lambda outlet: outlet.slug)


def _stories_by_title(client: httpx.Client, outlet_slug: str) -> dict[str, Story]:
    return {story.title: story for story in load_catalogue().for_outlet(outlet_slug)}


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
def test_feed_entries_carry_title_link_date_and_author(
    packaged_newsroom: httpx.Client, outlet: Outlet
) -> None:
    entries = _parsed(packaged_newsroom, outlet).entries

    assert entries
    for entry in entries:
        assert entry.title and entry.link and entry.author
        assert entry.published_parsed is not None


@pytest.mark.parametrize(
    "outlet",
    [outlet for outlet in OUTLETS if outlet.feed_text == "dek"],
    ids=lambda outlet: outlet.slug,
)
def test_standfirst_feeds_carry_one_sentence_and_no_story(
    packaged_newsroom: httpx.Client, outlet: Outlet
) -> None:
    stories = _stories_by_title(packaged_newsroom, outlet.slug)

    for entry in _parsed(packaged_newsroom, outlet).entries:
        assert html.unescape(entry.summary) == stories[entry.title].dek
        assert "content" not in entry


def test_circuit_daily_feed_carries_headlines_only(packaged_newsroom: httpx.Client) -> None:
    outlet = OUTLETS_BY_SLUG["circuit-daily"]
    response = packaged_newsroom.get(feed_path(outlet))

    for entry in feedparser.parse(response.content).entries:
        assert "summary" not in entry and "content" not in entry
    assert b"<summary" not in response.content and b"<content" not in response.content


def test_final_whistle_feed_carries_the_whole_story(packaged_newsroom: httpx.Client) -> None:
    stories = _stories_by_title(packaged_newsroom, "final-whistle")

    for entry in _parsed(packaged_newsroom, OUTLETS_BY_SLUG["final-whistle"]).entries:
        story = stories[entry.title]
        assert html.unescape(entry.summary) == story.dek
        assert entry.content[0].type == "text/html"
        paragraphs = re.findall(r"<p>(.*?)</p>", entry.content[0].value)
        assert [html.unescape(paragraph) for paragraph in paragraphs] == list(story.body)


def test_report_stories_link_to_their_pdf(packaged_newsroom: httpx.Client) -> None:
    reports = [story for story in load_catalogue().stories if story.link == "pdf"]
    links = {
        entry.title: entry.link
        for entry in _parsed(packaged_newsroom, OUTLETS_BY_SLUG["lab-notes"]).entries
    }

    assert 1 <= len(reports) <= 2
    for story in reports:
        assert links[story.title].endswith(f"/stories/{story.slug}.pdf")


@every_outlet
def test_feed_links_resolve_to_article_pages_or_reports(
    packaged_newsroom: httpx.Client, outlet: Outlet
) -> None:
    entries = _parsed(packaged_newsroom, outlet).entries

    assert entries
    for entry in entries:
        page = packaged_newsroom.get(entry.link)
        assert page.status_code == 200
        expected = "application/pdf" if entry.link.endswith(".pdf") else "text/html"
        assert page.headers["content-type"].startswith(expected)


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
