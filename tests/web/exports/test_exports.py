"""Exports and subscriptions: a finished briefing as Markdown, as one standalone HTML file, in
Atom feeds (all briefings, or one schedule's), and a link to copy from its page."""

import html
import re
import uuid
from collections.abc import AsyncIterator, Sequence

import feedparser
import httpx
import pytest
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionExecutionStartWorkflow,
    ScheduleActionResult,
    ScheduleActionStartWorkflow,
    ScheduleHandle,
    ScheduleSpec,
)

from core.settings import Settings
from testing.polling import wait_for_async
from tests.web.page_client import briefing_when, browser, finished
from web.templating import http_url
from workflows.briefing import BriefingWorkflow
from workflows.models import BriefingRequest

FILENAME = r'attachment; filename="briefing-{slug}-\d{{4}}-\d{{2}}-\d{{2}}\.{extension}"'
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_\[\]<>#|])")


async def finished_briefing(web: httpx.AsyncClient, topic: str) -> dict:
    """The API's view of a briefing started and run to completion by the test's worker."""
    created = (await web.post("/api/briefings", json={"topic": topic, "max_stories": 3})).json()
    await briefing_when(web, created["id"], finished, timeout=30)
    view = (await web.get(f"/api/briefings/{created['id']}")).json()
    assert view["status"] == "completed", view.get("error")
    return view


def page_link(settings: Settings, briefing_id: str) -> str:
    """Exports link to the configured public address, whatever host the request named."""
    return f"{settings.public_base_url}/briefings/{briefing_id}"


def stories(result: dict) -> list[dict]:
    return [story for section in result["sections"] for story in section["stories"]]


async def feed_listing(web: httpx.AsyncClient, path: str, link: str) -> feedparser.FeedParserDict:
    """The parsed feed, once visibility lists the run whose page is `link`."""

    async def feed() -> feedparser.FeedParserDict:
        return feedparser.parse((await web.get(path)).content)

    def lists_it(feed: feedparser.FeedParserDict) -> bool:
        return any(entry.link == link for entry in feed.entries)

    return await wait_for_async(feed, 10, f"{path} listing {link}", until=lists_it)


async def test_the_markdown_export_holds_everything_the_briefing_says(settings, worker):
    async with browser(settings) as web:
        view = await finished_briefing(web, "renewable energy")
        export = await web.get(f"/briefings/{view['id']}/export.md")
    assert export.status_code == 200
    assert export.headers["content-type"] == "text/markdown; charset=utf-8"
    filename = FILENAME.format(slug="renewable-energy", extension="md")
    assert re.fullmatch(filename, export.headers["content-disposition"])
    result, markdown = view["result"], export.text
    assert markdown == result["markdown"]
    text = _MARKDOWN_ESCAPE.sub(r"\1", markdown)
    assert result["title"] in text and result["lead"] in text
    for section in result["sections"]:
        assert f"## {section['title']}" in text
    for story in stories(result):
        assert f"### {story['title']}" in text and story["summary"] in text
        assert all(f"(<{link}>)" in markdown for link in story["links"])
        said = "the article" if story["text_source"] == "article" else "the feed's description"
        assert f"· summarised from {said}" in text


async def test_the_html_export_is_one_standalone_file_that_can_run_nothing(settings, worker):
    async with browser(settings) as web:
        view = await finished_briefing(web, "science")
        export = await web.get(f"/briefings/{view['id']}/export.html")
    assert export.status_code == 200
    assert export.headers["content-type"] == "text/html; charset=utf-8"
    filename = FILENAME.format(slug="science", extension="html")
    assert re.fullmatch(filename, export.headers["content-disposition"])
    policy = {part.strip() for part in export.headers["content-security-policy"].split(";")}
    assert {"default-src 'none'", "style-src 'unsafe-inline'"} <= policy
    assert not any(part.startswith(("script-src", "img-src", "connect-src")) for part in policy)
    document = export.text
    assert "<script" not in document and not re.search(r"\son[a-z]+=", document)
    assert not re.search(r"\ssrc=|<link[^>]*stylesheet", document), "no external assets"
    assert document.count("<style>") == 1
    assert "offline extractive" in document
    assert document.count("Summarised from") == len(stories(view["result"]))
    for story in stories(view["result"]):
        assert html.escape(story["title"]) in document
        for link in story["links"]:
            assert f'href="{html.escape(http_url(link))}"' in document


async def test_a_briefing_still_running_has_nothing_to_download_yet(settings, temporal_client):
    # No worker polls this test's task queue, so the briefing stays running.
    async with browser(settings) as web:
        created = (await web.post("/api/briefings", json={"topic": "world"})).json()
        try:
            answers = [
                await web.get(f"/briefings/{created['id']}/export.{extension}")
                for extension in ("md", "html")
            ]
            page = (await web.get(f"/briefings/{created['id']}")).text
        finally:
            await temporal_client.get_workflow_handle(created["id"]).terminate("test over")
    for answer in answers:
        assert answer.status_code == 409
        assert answer.headers["content-type"].startswith("text/html")
        assert "not finished yet" in answer.text
        assert "content-disposition" not in answer.headers
    assert "copy_link.js" not in page and "export.md" not in page


async def test_an_unknown_briefing_has_no_exports(settings):
    async with browser(settings) as web:
        answers = [
            await web.get("/briefings/briefing-000000000000/export.md"),
            await web.get("/briefings/not-a-briefing/export.html"),
        ]
    for answer in answers:
        assert answer.status_code == 404
        assert answer.headers["content-type"].startswith("text/html")
        assert "Briefing not found" in answer.text


async def test_the_atom_feed_lists_finished_briefings_with_their_articles(settings, worker):
    async with browser(settings) as web:
        view = await finished_briefing(web, "culture")
        link = page_link(settings, view["id"])
        feed = await feed_listing(web, "/feeds/briefings.atom", link)
        response = await web.get("/feeds/briefings.atom")
        home = (await web.get("/")).text
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id.startswith("urn:uuid:")
    assert any(
        link.rel == "self" and link.href.endswith("/feeds/briefings.atom")
        for link in feed.feed.links
    )
    assert len(feed.entries) <= 20
    entry = next(entry for entry in feed.entries if entry.link == link)
    result = view["result"]
    assert entry.title == result["title"]
    assert entry.summary == result["lead"]
    assert entry.id.startswith("urn:uuid:") and entry.author.startswith("briefing")
    assert entry.published and entry.updated
    assert entry.content[0].type == "text/html"
    assert all(html.escape(story["title"]) in entry.content[0].value for story in stories(result))
    assert 'rel="alternate" type="application/atom+xml"' in home
    assert (
        '<a href="/feeds/briefings.atom" type="application/atom+xml">Subscribe (Atom)</a>' in home
    )


@pytest.fixture
async def briefing_schedule(
    temporal_client: Client, settings: Settings
) -> AsyncIterator[ScheduleHandle]:
    """A real Temporal Schedule of briefings that never fires by itself: the test triggers it."""
    suffix = uuid.uuid4().hex[:8]
    request = BriefingRequest(
        topic="business", sources=settings.default_sources, max_stories=2, model=settings.llm_model
    )
    action = ScheduleActionStartWorkflow(
        BriefingWorkflow.run,
        request,
        id=f"briefing-scheduled-{suffix}",
        task_queue=settings.task_queue,
        memo={"topic": request.topic},
    )
    handle = await temporal_client.create_schedule(
        f"exports-test-{suffix}", Schedule(action=action, spec=ScheduleSpec())
    )
    yield handle
    await handle.delete()


async def scheduled_briefing_id(schedule: ScheduleHandle) -> str:
    async def recent_actions() -> Sequence[ScheduleActionResult]:
        return (await schedule.describe()).info.recent_actions

    actions = await wait_for_async(recent_actions, 10, "the schedule started its run")
    started = actions[0].action
    assert isinstance(started, ScheduleActionExecutionStartWorkflow)
    return started.workflow_id


async def test_a_schedules_feed_lists_only_the_runs_it_started(
    settings, worker, temporal_client, briefing_schedule
):
    await briefing_schedule.trigger()
    briefing_id = await scheduled_briefing_id(briefing_schedule)
    await temporal_client.get_workflow_handle(briefing_id).result()
    path = f"/feeds/schedules/{briefing_schedule.id}.atom"
    async with browser(settings) as web:
        unscheduled = page_link(settings, (await finished_briefing(web, "tech"))["id"])
        scheduled = page_link(settings, briefing_id)
        everything = await feed_listing(web, "/feeds/briefings.atom", unscheduled)
        feed = await feed_listing(web, path, scheduled)
        unknown = await web.get("/feeds/schedules/no-such-schedule.atom")
    assert not feed.bozo and feed.version == "atom10"
    assert [entry.link for entry in feed.entries] == [scheduled]
    assert scheduled in {entry.link for entry in everything.entries}
    assert unknown.status_code == 404


async def test_the_copy_link_button_comes_with_a_completed_briefing_only(settings, worker):
    async with browser(settings) as web:
        view = await finished_briefing(web, "sport")
        page = (await web.get(f"/briefings/{view['id']}")).text
        script = await web.get("/static/copy_link.js")
    assert '<script src="/static/copy_link.js" defer></script>' in page
    assert "data-copy-link" in page and '<button type="button" hidden>Copy link</button>' in page
    assert f'href="/briefings/{view["id"]}/export.md"' in page
    assert f'href="/briefings/{view["id"]}/export.html"' in page
    assert not re.search(r"\son[a-z]+=|hx-on", page)
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert "navigator.clipboard.writeText" in script.text and "Link copied" in script.text
    assert "field.select()" in script.text


async def test_links_in_exports_follow_the_public_url_not_the_host_a_request_claims(
    settings, worker
):
    public = settings.model_copy(
        update={"public_url": "https://briefing.example.org/", "allowed_hosts": ["briefing.lan"]}
    )
    claimed = {"Host": "briefing.lan"}
    async with browser(public) as web:
        view = await finished_briefing(web, "science")
        link = page_link(public, view["id"])
        feed = await feed_listing(web, "/feeds/briefings.atom", link)
        raw_feed = (await web.get("/feeds/briefings.atom", headers=claimed)).text
        standalone = (await web.get(f"/briefings/{view['id']}/export.html", headers=claimed)).text
    assert link.startswith("https://briefing.example.org/briefings/")
    assert {(item.rel, item.href) for item in feed.feed.links} >= {
        ("self", "https://briefing.example.org/feeds/briefings.atom"),
        ("alternate", "https://briefing.example.org/"),
    }
    assert f'<a href="{link}">' in standalone
    assert "briefing.lan" not in raw_feed and "briefing.lan" not in standalone
