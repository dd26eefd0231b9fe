"""A small real SSE client for tests: reads frames off an HTTP stream as a browser would."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Frame:
    event: str
    data: str
    id: str | None


async def read_frames(
    client: httpx.AsyncClient,
    url: str,
    *,
    last_event_id: str | None = None,
    limit: int | None = None,
) -> AsyncIterator[Frame]:
    headers = {"Accept": "text/event-stream"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    count = 0
    data: list[str] = []
    async with client.stream("GET", url, headers=headers) as response:
        response.raise_for_status()
        event, frame_id = "message", None
        async for line in response.aiter_lines():
            if line == "":
                if data:
                    yield Frame(event, "\n".join(data), frame_id)
                    count += 1
                    if limit is not None and count >= limit:
                        return
                event, data, frame_id = "message", [], None
            elif line.startswith(":"):
                continue  # ping
            else:
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "event":
                    event = value
                elif name == "data":
                    data.append(value)
                elif name == "id":
                    frame_id = value


async def read_until_close(client: httpx.AsyncClient, url: str, **options) -> list[Frame]:
    frames = []
    async for frame in read_frames(client, url, **options):
        frames.append(frame)
        if frame.event == "close":
            break
    return frames
