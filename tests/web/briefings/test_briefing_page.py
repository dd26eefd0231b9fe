"""GET /briefings/{id}: live while running, the article when done, links made safe."""

import re

from testing.sse_client import read_until_close
from tests.web.briefings.live_page import swapped
from tests.web.page_client import briefing_when, browser, finished
from web.templating import http_url

CANCEL = 'data-action="cancel"'


async def test_a_running_briefing_page_streams_from_after_what_it_already_shows(settings, worker):
    async with browser(settings) as web:
        created = (await web.post("/api/briefings", json={"topic": "tech"})).json()
        page = (await web.get(f"/briefings/{created['id']}")).text
        await briefing_when(web, created["id"], finished, timeout=30)
    connect = re.search(r'sse-connect="/briefings/[^"?]+/events\?after=(-?\d+)"', page)
    assert connect, "a running briefing's page must connect to its events"
    shown_steps, after = page.count('class="step step-'), int(connect.group(1))
    # Every step shown took at least one event; with none shown, the stream starts at 0.
    assert after == -1 if shown_steps == 0 else after >= shown_steps - 1
    assert 'sse-swap="progress"' in page and 'sse-close="close"' in page
    assert created["temporal_ui_url"] in page


async def test_a_finished_briefing_page_shows_the_article_and_opens_no_stream(settings, worker):
    async with browser(settings) as web:
        created = (await web.post("/api/briefings", json={"topic": "sport"})).json()
        await briefing_when(web, created["id"], finished, timeout=30)
        page = (await web.get(f"/briefings/{created['id']}")).text
    assert "sse-connect" not in page
    assert 'class="briefing-article"' in page
    assert "offline extractive" in page
    assert page.count("step step-done") >= 3
    assert "Completed." in page


async def test_watched_live_to_its_end_the_page_no_longer_offers_to_cancel(settings, worker):
    async with browser(settings) as web:
        created = (await web.post("/api/briefings", json={"topic": "tech", "review": True})).json()
        body = await briefing_when(web, created["id"], lambda b: b.get("review"), timeout=30)
        page = (await web.get(f"/briefings/{created['id']}")).text
        first = body["review"]["candidates"][0]["id"]
        review_url = f"/api/briefings/{created['id']}/review"
        assert (await web.post(review_url, json={"story_ids": [first]})).status_code == 200
        events_url = re.search(r'sse-connect="([^"]+)"', page).group(1)
        frames = await read_until_close(web, events_url)
    assert CANCEL in page
    # What the viewer sees once htmx has swapped every event in, without reloading.
    watched = swapped(page, frames)
    assert "Completed." in watched and 'class="briefing-article"' in watched
    assert CANCEL not in watched


def test_only_http_links_reach_an_href():
    assert http_url("https://example.org/story") == "https://example.org/story"
    assert http_url("javascript:alert(1)") == "#"
    assert http_url("data:text/html,<script>") == "#"
