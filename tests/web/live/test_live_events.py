"""Server-sent events of a briefing over real HTTP: order, exact resume, one subscription."""

import asyncio
import json

import httpx
import pytest

from testing.servers import serve_in_thread
from testing.sse_client import read_frames, read_until_close
from web.app import create_app


@pytest.fixture
async def web(settings):
    app = create_app(settings)
    with serve_in_thread(app) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            client.app = app
            yield client


async def start(web: httpx.AsyncClient, topic: str = "science", max_stories: int = 3) -> str:
    response = await web.post("/api/briefings", json={"topic": topic, "max_stories": max_stories})
    return response.json()["id"]


def ids(frames) -> list[int]:
    return [int(frame.id) for frame in frames if frame.id is not None]


async def test_json_events_arrive_in_order_with_dense_ids_and_end_with_close(web, worker):
    briefing_id = await start(web)
    frames = await read_until_close(web, f"/api/briefings/{briefing_id}/events")
    progress = [json.loads(f.data) for f in frames if f.event == "progress"]
    assert ids(frames) == list(range(len(progress)))
    assert [event["version"] for event in progress] == [n + 1 for n in range(len(progress))]
    assert progress[-1]["status"] == "completed"
    assert json.loads(frames[-1].data) == {"status": "completed", "error": None}
    briefing = next(f for f in frames if f.event == "briefing")
    assert json.loads(briefing.data)["lead"]


async def test_reconnecting_with_last_event_id_yields_exactly_the_missed_events(web, worker):
    briefing_id = await start(web)
    url = f"/api/briefings/{briefing_id}/events"
    first_part = [f async for f in read_frames(web, url, limit=5)]
    last_seen = [f.id for f in first_part if f.id is not None][-1]
    rest = await read_until_close(web, url, last_event_id=last_seen)
    full = await read_until_close(web, url)
    assert ids(first_part) + ids(rest) == ids(full)
    progress = {f.id: f.data for f in full if f.id is not None}
    assert all(progress[f.id] == f.data for f in rest if f.id is not None)


async def test_the_html_stream_carries_partials_for_htmx_and_the_article_at_the_end(web, worker):
    briefing_id = await start(web, topic="<b>science</b>")
    frames = await read_until_close(web, f"/briefings/{briefing_id}/events")
    names = {frame.event for frame in frames}
    assert {"progress", "briefing", "close", "status"} <= names
    last_progress = [f for f in frames if f.event == "progress"][-1]
    assert 'class="step step-done"' in last_progress.data
    assert "step-running" not in last_progress.data
    article = next(f for f in frames if f.event == "briefing")
    assert 'class="briefing-article"' in article.data
    assert f"/briefings/{briefing_id}/export.md" in article.data
    assert "<b>science</b>" not in article.data
    assert "Completed" in frames[-1].data


async def test_many_viewers_of_one_briefing_share_one_subscription(web, worker):
    briefing_id = await start(web, max_stories=2)
    url = f"/api/briefings/{briefing_id}/events"
    results = await asyncio.gather(*(read_until_close(web, url) for _ in range(4)))
    assert len({tuple(ids(frames)) for frames in results}) == 1
    assert web.app.state.hub.feed_count == 1


async def test_a_new_web_process_resumes_a_viewer_exactly_where_it_was(settings, worker):
    first_app = create_app(settings)
    with serve_in_thread(first_app) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as web:
            briefing_id = await start(web, max_stories=4)
            events_url = f"/api/briefings/{briefing_id}/events"
            seen = [f async for f in read_frames(web, events_url, limit=4)]
    # The first web process is gone; a new one knows nothing of this viewer or briefing.
    with serve_in_thread(create_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as web:
            last = [f.id for f in seen if f.id is not None][-1]
            rest = await read_until_close(web, events_url, last_event_id=last)
            full = await read_until_close(web, events_url)
    assert ids(seen) + ids(rest) == ids(full)
    final = json.loads([f for f in rest if f.event == "progress"][-1].data)
    assert final["status"] == "completed"


async def test_events_of_an_unknown_briefing_are_a_404(web):
    response = await web.get("/api/briefings/briefing-nope/events")
    assert response.status_code == 404
