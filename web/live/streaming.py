"""Server-sent events of one briefing, resumable by event id, in whichever frame a route asks for.

The routes are the resource's own (web/briefings/pages.py for HTML, api.py for JSON); this is the
mechanic they share: open the shared feed, stream after a point, let go of the feed at the end.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Header, Query, Request
from sse_starlette import EventSourceResponse

from core.temporal_errors import temporal_call
from web.live.events import LiveEvent, live_events
from web.live.hub import LiveHub
from web.live.rendering import Frame

PING_SECONDS = 15
LastEventId = Annotated[str | None, Header(alias="Last-Event-ID")]
After = Annotated[int | None, Query(ge=-1, description="Stream after this event id")]


async def event_stream(
    request: Request,
    briefing_id: str,
    last_event_id: str | None,
    after: int | None,
    to_frame: Callable[[LiveEvent], Frame],
    csrf_token: str = "",
) -> EventSourceResponse:
    """`csrf_token` is the viewer's, for the forms in HTML partials; JSON frames carry none."""
    hub: LiveHub = request.app.state.hub
    async with temporal_call():
        feed = await hub.open(briefing_id)  # 404 before any byte of the stream is sent
    start = _resume_point(last_event_id, after)

    async def frames() -> AsyncIterator[Frame]:
        try:
            async for event in live_events(feed, after=start, csrf_token=csrf_token):
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
