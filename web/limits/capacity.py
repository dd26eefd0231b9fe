"""What one web process holds of live streams, whoever asks: refused with 503 when it is full.

These caps are the server's, not a visitor's: a room of phones behind one NAT address shares a
briefing's stream like any other audience, and is stopped only by what the process can hold.
503 (not 429) because nobody asked too much: another replica, or this one in a moment, may
have room, and Retry-After says when to look again.
"""

from dataclasses import dataclass, field

from fastapi import Request, status
from fastapi.responses import Response

from web.error_pages import refusal

# Streams end when their viewers leave, which no one can foresee: a short, polite guess.
FULL_RETRY_SECONDS = 5


class ServerFull(Exception):
    def __init__(self, message: str, retry_after: int = FULL_RETRY_SECONDS) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class StreamCapacity:
    """Open streams of the process, at most `max_streams`; at most `max_viewers` per briefing.

    0 turns either cap off. The viewers of a briefing are counted by its feed (web/live/hub.py).
    """

    max_streams: int
    max_viewers: int
    open_streams: int = field(default=0)

    def check_streams(self) -> None:
        """Raises ServerFull when the process already holds `max_streams` streams."""
        if 0 < self.max_streams <= self.open_streams:
            raise ServerFull(
                f"This server holds as many live streams as it can ({self.max_streams})."
            )

    def take_stream(self) -> None:
        self.open_streams += 1

    def release_stream(self) -> None:
        self.open_streams -= 1


def server_full(request: Request, error: ServerFull) -> Response:
    """The 503 for the API (JSON) or for a page (HTML), before any byte of a stream."""
    seconds = "1 second" if error.retry_after == 1 else f"{error.retry_after} seconds"
    return refusal(
        request,
        status.HTTP_503_SERVICE_UNAVAILABLE,
        f"{error} Try again in {seconds}.",
        title="Server full",
        headers={"Retry-After": str(error.retry_after)},
    )


async def server_full_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, ServerFull)
    return server_full(request, error)
