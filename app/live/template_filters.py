"""Jinja filters of the briefing page."""

from datetime import datetime
from urllib.parse import urlsplit

from workflows.models import StepProgress


def step_duration(step: StepProgress) -> str:
    if not (step.started_at and step.finished_at):
        return "—"
    return f"{(step.finished_at - step.started_at).total_seconds():.1f} s"


def clock(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment else "—"


def http_url(url: str) -> str:
    """Feed links go into href: anything but http(s) (javascript:, data:) becomes inert."""
    return url if urlsplit(url).scheme in ("http", "https") else "#"


FILTERS = {"step_duration": step_duration, "clock": clock, "http_url": http_url}
