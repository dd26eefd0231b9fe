"""The web pages' Jinja environment and the filters the briefing page uses."""

from datetime import datetime

from fastapi.templating import Jinja2Templates

from activities.feeds.links import http_link
from core.domain import TOPIC_MAX_CHARS
from core.settings import PROJECT_ROOT
from web.source_labels import source_label
from workflows.models import StepProgress


def clock(moment: datetime | None) -> str:
    return moment.strftime("%H:%M:%S UTC") if moment else ""


def duration(step: StepProgress) -> str:
    if step.started_at is None or step.finished_at is None:
        return "–"
    return f"{(step.finished_at - step.started_at).total_seconds():.1f} s"


def http_url(url: str) -> str:
    # Links come from feeds: anything but http(s), e.g. javascript:, becomes a dead link.
    return http_link(url) or "#"


# Autoescape stays on (the default for .html): topics, feed and LLM text are untrusted.
templates = Jinja2Templates(directory=PROJECT_ROOT / "templates")
templates.env.filters.update(
    clock=clock, duration=duration, http_url=http_url, source_label=source_label
)
# The topic field's maxlength is the model's own limit (core/domain.py), not a second number.
templates.env.globals["topic_max_chars"] = TOPIC_MAX_CHARS
