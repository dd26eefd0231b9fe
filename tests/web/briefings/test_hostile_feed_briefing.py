"""A briefing of a hostile feed, end to end: the real worker, Temporal, offline LLM and web app.
Its page, live partial, downloads and Atom entry show the stories as text, link only to them."""

import json
import re
from collections.abc import AsyncIterator, Iterator

import feedparser
import httpx
import pytest
from temporalio.client import Client

from core.settings import Settings
from testing.polling import wait_for_async
from testing.servers import serve_in_thread
from testing.sse_client import read_until_close
from tests.hostile_content import (
    BREAKOUT_TITLE,
    EVIL_HOST,
    FEED_PATH,
    INJECTED_TITLE,
    RELATIVE_TITLE,
    SCRIPTED_TITLE,
    create_hostile_feed_app,
)
from tests.markup_audit import (
    foreign_markup,
    hrefs,
    markdown_headings,
    markdown_links,
    markdown_structure_breaks,
)
from tests.web.page_client import briefing_when, browser, finished
from worker.main import build_workers

_INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


@pytest.fixture
def hostile_settings(settings: Settings) -> Iterator[Settings]:
    """The hostile feed as the only configured source, so the SSRF guard lets it be read."""
    with serve_in_thread(create_hostile_feed_app()) as url:
        yield settings.model_copy(update={"feeds": [url + FEED_PATH]})


@pytest.fixture
async def hostile_worker(temporal_client: Client, hostile_settings: Settings) -> AsyncIterator:
    async with build_workers(temporal_client, hostile_settings) as running:
        yield running


async def atom_entry(web: httpx.AsyncClient, page_link: str) -> feedparser.FeedParserDict:
    """The feed's entry for the briefing, once visibility lists it."""

    async def entry() -> feedparser.FeedParserDict | None:
        feed = feedparser.parse((await web.get("/feeds/briefings.atom")).content)
        assert not feed.bozo, feed.get("bozo_exception")
        return next((entry for entry in feed.entries if entry.link == page_link), None)

    return await wait_for_async(
        entry, 10, f"the Atom feed listing {page_link}", until=lambda e: e is not None
    )


async def test_a_hostile_feeds_briefing_is_shown_as_text_linking_only_to_its_sources(
    hostile_settings: Settings, hostile_worker
) -> None:
    async with browser(hostile_settings) as web:
        created = (await web.post("/api/briefings", json={"topic": "world"})).json()
        await briefing_when(web, created["id"], finished, timeout=30)
        view = (await web.get(f"/api/briefings/{created['id']}")).json()
        assert view["status"] == "completed", view.get("error")
        base = f"/briefings/{created['id']}"
        page = (await web.get(base)).text
        frames = await read_until_close(web, f"{base}/events")
        markdown = (await web.get(f"{base}/export.md")).text
        standalone = (await web.get(f"{base}/export.html")).text
        page_url = hostile_settings.public_base_url + base
        entry = await atom_entry(web, page_url)

    result = view["result"]
    stories = [story for section in result["sections"] for story in section["stories"]]
    assert {story["title"] for story in stories} == {
        SCRIPTED_TITLE,
        INJECTED_TITLE,
        BREAKOUT_TITLE,
        RELATIVE_TITLE,
    }
    sources = [link for story in stories for link in story["links"]]
    feed_site = hostile_settings.feeds[0].removesuffix(FEED_PATH)
    assert all(link.startswith(f"{feed_site}/stories/") for link in sources)
    assert EVIL_HOST not in json.dumps(result)

    [article] = [frame.data for frame in frames if frame.event == "briefing"]
    for html in (page, article, standalone, entry.content[0].value):
        assert "<script>alert" not in html and not _INLINE_HANDLER.search(html)
        ours = ("/", "#", hostile_settings.temporal_ui_url, page_url)
        others = [link for link in hrefs(html) if not link.startswith(ours)]
        # base.html's empty favicon is the one data: URL a page may hold.
        assert [link for link in others if link != "data:,"] == [
            link for link in hrefs(html) if link in sources
        ]
    assert foreign_markup(entry.content[0].value) == []

    sections, titles = len(result["sections"]), len(stories)
    headings = markdown_headings(markdown)
    assert len(headings) == 1 + sections + titles
    assert sorted(markdown_links(markdown)) == sorted(sources)
    assert markdown_structure_breaks(markdown) == []
