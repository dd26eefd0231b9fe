"""LiveEvents as server-sent events: HTML partials for htmx, JSON for API clients."""

import json

from fastapi.templating import Jinja2Templates

from web.live.events import LiveEvent

# Browsers retry a dropped stream after this long, e.g. while the web server restarts.
RECONNECT_MILLISECONDS = 1000


def _frame(event: LiveEvent, data: str) -> dict:
    frame = {"event": event.name, "data": data, "retry": RECONNECT_MILLISECONDS}
    if event.offset is not None:
        frame["id"] = str(event.offset)
    return frame


def html_frame(templates: Jinja2Templates, event: LiveEvent, csrf_token: str = "") -> dict:
    template = {
        "progress": "partials/_progress.html",
        "review": "partials/_review.html",
        "briefing": "partials/_briefing_live_done.html",
        "status": "partials/_live_status.html",
        "close": "partials/_live_status.html",
    }[event.name]
    context = {
        "progress": event.progress,
        "briefing": event.briefing,
        "liveness": event.liveness.value if event.liveness else None,
        "outcome": event.outcome.value if event.outcome else None,
        "error": event.error,
        "briefing_id": event.briefing_id,
        "csrf_token": csrf_token,
    }
    return _frame(event, templates.get_template(template).render(context))


def json_frame(event: LiveEvent) -> dict:
    if event.name == "review":
        data = json.dumps(
            {
                "review": _dump(event.progress.review),
                "review_outcome": _dump(event.progress.review_outcome),
            }
        )
    elif event.name == "progress":
        data = event.event.model_dump_json()
    elif event.name == "briefing":
        data = event.briefing.model_dump_json()
    elif event.name == "status":
        data = json.dumps({"liveness": event.liveness.value})
    else:
        outcome = event.outcome.value if event.outcome else None
        data = json.dumps({"status": outcome, "error": event.error})
    return _frame(event, data)


def _dump(model) -> dict | None:
    return model.model_dump(mode="json") if model is not None else None
