"""What an audience of one briefing shares: one encoding of each frame, and how many watch."""

import asyncio
import json

from testing.sse_client import read_frames, read_until_close
from tests.web.limits.viewers import open_viewer, served, waiting_briefing
from web.live.rendering import html_frame


async def first_status_counting(web, url: str, viewers: int):
    counted = (f'data-viewers="{viewers}"', f'"viewers": {viewers}')
    async for frame in read_frames(web, url):
        if frame.event == "status" and any(text in frame.data for text in counted):
            return frame
    raise AssertionError("the stream ended")


async def test_the_status_event_says_how_many_watch_the_briefing_here(settings):
    async with served(settings) as web:
        briefing = await waiting_briefing(web)
        others = [
            await open_viewer(str(web.base_url), f"/api/briefings/{briefing}/events")
            for _ in range(2)
        ]
        try:
            as_json = await asyncio.wait_for(
                first_status_counting(web, f"/api/briefings/{briefing}/events", 3), 15
            )
            as_html = await asyncio.wait_for(
                first_status_counting(web, f"/briefings/{briefing}/events", 3), 15
            )
        finally:
            for viewer in others:
                viewer.close()
    assert json.loads(as_json.data) == {"liveness": "live", "viewers": 3}
    assert "3 watching" in as_html.data
    # The frame is everyone's: its cancel form carries no viewer's token (htmx sends the page's).
    assert 'name="csrf_token" value=""' in as_html.data


async def test_each_frame_is_encoded_once_for_all_viewers_and_only_as_asked(settings, worker):
    async with served(settings) as web:
        response = await web.post("/api/briefings", json={"topic": "science", "max_stories": 2})
        briefing = response.json()["id"]
        url = f"/briefings/{briefing}/events"
        seen = await asyncio.gather(*(read_until_close(web, url) for _ in range(3)))
        journal = web.app.state.hub.feed_of(briefing).journal
        shared = [event for entry in journal.entries for event in entry]
    # The status comes as the count changes, which each viewer catches at its own moment.
    assert len({tuple(f for f in frames if f.event != "status") for frames in seen}) == 1
    assert shared and all(event.encodings == {html_frame} for event in shared)
    # No JSON viewer came, so no frame was encoded as JSON.
