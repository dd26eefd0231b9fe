"""One SSE client per briefing that behaves like a browser's EventSource.

It follows the JSON stream, and whenever the connection drops (the web was killed, or answered
503 while Temporal was down) it waits the stream's retry time and reconnects with the
Last-Event-ID it last saw, until the stream ends with its `close` event.
"""

import asyncio
import json
import time
from dataclasses import dataclass, field

import httpx

from testing.sse_client import read_frames

# The stream's own `retry:` hint (web/live/rendering.py), as a browser would obey it.
RECONNECT_SECONDS = 1.0
# For the client it reads through: the stream pings every 15 s, so a read waits longer.
SSE_TIMEOUT = httpx.Timeout(10.0, read=45.0)


@dataclass
class WatchRecord:
    briefing_id: str
    connections: int = 0  # tries, including those refused while the web was down
    last_event_id: str | None = None
    # Monotonic time each progress offset was first seen; replays after a reconnect don't count.
    first_seen: dict[int, float] = field(default_factory=dict)
    # Progress offsets delivered again after being seen: a resume that replayed from too early.
    repeated_offsets: int = 0
    final_progress_status: str | None = None
    saw_briefing: bool = False
    close_status: str | None = None

    @property
    def saw_end(self) -> bool:
        """The final state reached this client: the run closed as completed, with its briefing."""
        reached = self.saw_briefing or self.final_progress_status == "completed"
        return self.close_status == "completed" and reached

    @property
    def missing_offsets(self) -> int:
        """Offsets never seen between 0 and the highest one seen."""
        if not self.first_seen:
            return 0
        return max(self.first_seen) + 1 - len(self.first_seen)


async def watch_briefing(client: httpx.AsyncClient, record: WatchRecord) -> WatchRecord:
    url = f"/api/briefings/{record.briefing_id}/events"
    while record.close_status is None:
        record.connections += 1
        try:
            async for frame in read_frames(client, url, last_event_id=record.last_event_id):
                _take(record, frame.event, frame.data, frame.id)
                if frame.event == "close":
                    break
        except (httpx.TransportError, httpx.HTTPStatusError):
            pass  # the web died or Temporal is down: reconnect, as EventSource does
        if record.close_status is None:
            await asyncio.sleep(RECONNECT_SECONDS)
    return record


def _take(record: WatchRecord, event: str, data: str, frame_id: str | None) -> None:
    if event == "progress" and frame_id is not None:
        record.last_event_id = frame_id
        offset = int(frame_id)
        record.repeated_offsets += offset in record.first_seen
        record.first_seen.setdefault(offset, time.monotonic())
        record.final_progress_status = json.loads(data)["status"]
    elif event == "briefing":
        record.saw_briefing = True
    elif event == "close":
        record.close_status = json.loads(data)["status"]
