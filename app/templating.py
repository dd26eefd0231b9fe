"""The one Jinja environment of the web pages, and what every page's context holds."""

from datetime import UTC, datetime

from fastapi import Request
from fastapi.templating import Jinja2Templates

from app.settings import PROJECT_ROOT


def site_context(request: Request) -> dict[str, str]:
    """The base layout's needs, so no route has to pass them."""
    return {
        "temporal_ui_url": request.app.state.settings.temporal_ui_url,
        "csrf_token": getattr(request.state, "csrf_token", ""),
    }


def age(moment: datetime | None, now: datetime | None = None) -> str:
    if moment is None:
        return ""
    seconds = max(0, int(((now or datetime.now(UTC)) - moment).total_seconds()))
    if seconds < 60:
        return "just now" if seconds < 10 else f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


# Autoescape stays on (the default for .html): topics and LLM text are untrusted.
templates = Jinja2Templates(directory=PROJECT_ROOT / "templates", context_processors=[site_context])
templates.env.filters["age"] = age
templates.env.filters["duration"] = duration
