"""LiveEvents as server-sent events: HTML partials for htmx, JSON for API clients."""

from web.live.events import LiveEvent

# Browsers retry a dropped stream after this long, e.g. while the web server restarts.
RECONNECT_MILLISECONDS = 1000

Frame = dict[str, str | int]


def html_frame(event: LiveEvent) -> Frame:
    return _frame(event, event.html())


def json_frame(event: LiveEvent) -> Frame:
    return _frame(event, event.json())


def _frame(event: LiveEvent, data: str) -> Frame:
    frame: Frame = {"event": event.name, "data": data, "retry": RECONNECT_MILLISECONDS}
    if event.id is not None:
        frame["id"] = event.id
    return frame
