"""GET /briefings/{id}: live while running, the article when done, links made safe."""

import re

from tests.web.page_client import briefing_when, browser, finished
from web.templating import http_url


async def test_a_running_briefing_page_streams_from_after_what_it_already_shows(settings, worker):
    async with browser(settings) as web:
        created = (await web.post("/api/briefings", json={"topic": "tech"})).json()
        page = (await web.get(f"/briefings/{created['id']}")).text
        await briefing_when(web, created["id"], finished, attempts=300)
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
        await briefing_when(web, created["id"], finished, attempts=300)
        page = (await web.get(f"/briefings/{created['id']}")).text
    assert "sse-connect" not in page
    assert 'class="briefing-article"' in page
    assert "offline extractive" in page
    assert page.count("step step-done") >= 3
    assert "Completed." in page


def test_only_http_links_reach_an_href():
    assert http_url("https://example.org/story") == "https://example.org/story"
    assert http_url("javascript:alert(1)") == "#"
    assert http_url("data:text/html,<script>") == "#"
