"""Server-sent events of one briefing, resumable by event id, in whichever frame a route asks for.

The routes are the resource's own (web/briefings/pages.py for HTML, api.py for JSON); this is the
mechanic they share: open the shared feed, send its frames after a point, let go at the end.
A viewer is a position in the feed's journal: it sends the bytes every viewer is sent, and a
viewer whose socket takes no frame for SLOW_VIEWER_SECONDS is dropped; its browser reconnects
(the frames' `retry`) with Last-Event-ID and resumes exactly where it was, here or elsewhere.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Header, Query, Request
from sse_starlette import EventSourceResponse
from sse_starlette.sse import SendTimeoutError
from starlette.types import Receive, Scope, Send

from core.temporal_errors import temporal_call
from web.limits.visitors import VisitorLimits
from web.live.feed import BriefingFeed
from web.live.hub import LiveHub
from web.live.rendering import Encoder, SharedEvent

log = logging.getLogger(__name__)
PING_SECONDS = 15
# A socket that takes no frame for this long belongs to a viewer gone or hopelessly behind.
SLOW_VIEWER_SECONDS = 30
LastEventId = Annotated[str | None, Header(alias="Last-Event-ID")]
After = Annotated[int | None, Query(ge=-1, description="Stream after this event id")]


class ViewerStream(EventSourceResponse):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except SendTimeoutError:
            log.info("dropped a viewer that took no frame for %s s", SLOW_VIEWER_SECONDS)


async def event_stream(
    request: Request,
    briefing_id: str,
    last_event_id: str | None,
    after: int | None,
    encode: Encoder,
) -> EventSourceResponse:
    """The stream, or a refusal before any byte of it: 404, RateLimited (429), ServerFull (503)."""
    hub: LiveHub = request.app.state.hub
    limits: VisitorLimits = request.app.state.visitor_limits
    client = limits.clients.of(request.scope)

    def starts_work() -> None:
        # The first viewer here starts a subscription (and an unknown id costs a describe).
        limits.stream_opens.take(client)

    async with temporal_call():
        feed = await hub.open(briefing_id, limits.capacity.max_viewers, starts_work)
    start = _resume_point(last_event_id, after)

    async def frames() -> AsyncIterator[bytes]:
        try:
            async for shared in viewer_events(feed, after=start):
                yield shared.frame(encode)
        except asyncio.CancelledError:
            raise  # the browser went away
        finally:
            hub.release(feed)

    return ViewerStream(frames(), ping=PING_SECONDS, send_timeout=SLOW_VIEWER_SECONDS)


async def viewer_events(feed: BriefingFeed, *, after: int | None) -> AsyncIterator[SharedEvent]:
    """The events after `after`, then live ones, the latest status and what each LLM step has
    written so far, then the ending."""
    journal = feed.journal
    offset = 0 if after is None else after + 1
    # A fresh web process may not have caught up with what this browser already saw.
    while len(journal.entries) < offset and not journal.closed:
        await journal.changed()
    status_sent = None
    writing_sent: dict[str, SharedEvent] = {}
    while True:
        # Taken before yielding: a change while a frame is being written wakes the next round.
        change = journal.next_change()
        while offset < len(journal.entries):
            for shared in journal.entries[offset]:
                yield shared
            offset += 1
            writing_sent = {}  # the progress panel was drawn anew, without the text
        if journal.ending is not None:
            for shared in journal.ending:
                yield shared
            return
        if journal.status is not status_sent and journal.status is not None:
            status_sent = journal.status
            yield status_sent
        for step_id, shared in list(journal.writing.items()):
            if writing_sent.get(step_id) is not shared:
                writing_sent[step_id] = shared
                yield shared
        await change.wait()


def _resume_point(last_event_id: str | None, after: int | None) -> int | None:
    # A reconnecting EventSource sends Last-Event-ID; it wins over the page's starting point.
    if last_event_id is not None and last_event_id.strip().isdigit():
        return int(last_event_id)
    return after
