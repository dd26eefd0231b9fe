"""Server-sent events of a briefing: HTML partials for the page, JSON for API clients."""

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from sse_starlette import EventSourceResponse

from core.temporal_errors import temporal_call
from web.live.events import LiveEvent, live_events
from web.live.hub import LiveHub
from web.live.rendering import html_frame, json_frame
from web.templating import templates

router = APIRouter(tags=["live"])
PING_SECONDS = 15


async def _frames(
    request: Request, briefing_id: str, after: int | None, to_frame: Callable[[LiveEvent], dict]
) -> EventSourceResponse:
    hub: LiveHub = request.app.state.hub
    async with temporal_call():
        feed = await hub.open(briefing_id)  # 404 before any byte of the stream is sent

    async def frames() -> AsyncIterator[dict]:
        try:
            async for event in live_events(feed, after=after):
                yield to_frame(event)
        except asyncio.CancelledError:
            raise  # the browser went away
        finally:
            hub.release(feed)

    return EventSourceResponse(frames(), ping=PING_SECONDS)


def _resume_point(last_event_id: str | None, after: int | None) -> int | None:
    # A reconnecting EventSource sends Last-Event-ID; it wins over the page's starting point.
    if last_event_id is not None and last_event_id.strip().isdigit():
        return int(last_event_id)
    return after


LastEventId = Annotated[str | None, Header(alias="Last-Event-ID")]
After = Annotated[int | None, Query(ge=-1, description="Stream after this event id")]


@router.get("/briefings/{briefing_id}/events")
async def briefing_events_html(
    request: Request, briefing_id: str, last_event_id: LastEventId = None, after: After = None
) -> EventSourceResponse:
    return await _frames(
        request,
        briefing_id,
        _resume_point(last_event_id, after),
        lambda event: html_frame(templates, event, getattr(request.state, "csrf_token", "")),
    )


@router.get("/api/briefings/{briefing_id}/events", tags=["briefings"])
async def briefing_events_json(
    request: Request, briefing_id: str, last_event_id: LastEventId = None, after: After = None
) -> EventSourceResponse:
    return await _frames(request, briefing_id, _resume_point(last_event_id, after), json_frame)
