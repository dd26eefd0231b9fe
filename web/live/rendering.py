"""LiveEvents as server-sent event frames: HTML partials for htmx, JSON for API clients.

A frame is encoded once per event and encoding, and the same bytes go to every viewer of the
briefing (SharedEvent): a viewer costs a write, never a render.
"""

from collections.abc import Callable

from sse_starlette import ServerSentEvent

from web.live.events import LiveEvent

# Browsers retry a dropped stream after this long, e.g. while the web server restarts.
RECONNECT_MILLISECONDS = 1000

Frame = dict[str, str | int]
Encoder = Callable[[LiveEvent], bytes]


def html_frame(event: LiveEvent) -> bytes:
    return _frame(event, event.html_name, event.html())


def json_frame(event: LiveEvent) -> bytes:
    return _frame(event, event.name, event.json())


def _frame(event: LiveEvent, name: str, data: str) -> bytes:
    return ServerSentEvent(
        data=data, event=name, id=event.id, retry=RECONNECT_MILLISECONDS
    ).encode()


class SharedEvent:
    """One event of a briefing's feed and its frames, each encoded when a viewer first asks."""

    __slots__ = ("event", "_frames")

    def __init__(self, event: LiveEvent) -> None:
        self.event = event
        self._frames: dict[Encoder, bytes] = {}

    @property
    def encodings(self) -> frozenset[Encoder]:
        """The encodings some viewer has asked for so far."""
        return frozenset(self._frames)

    def frame(self, encode: Encoder) -> bytes:
        frame = self._frames.get(encode)
        if frame is None:
            frame = self._frames[encode] = encode(self.event)
        return frame
