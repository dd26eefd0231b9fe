"""Words every layer shares, defined once: what a briefing is about and how a run ended.

The workflow's input, the JSON API, the home page's form, schedules and the CLI all take a
`Topic`; the API, the pages, the exports and the dashboard all speak `RunStatus`.
"""

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

TOPIC_MAX_CHARS = 200


def _has_words(topic: str) -> str:
    # Folded, so "tidal  power " and "tidal power" start the same briefing.
    topic = " ".join(topic.split())
    if not topic:
        raise ValueError("topic must not be blank")
    return topic


Topic = Annotated[
    str,
    StringConstraints(min_length=1, max_length=TOPIC_MAX_CHARS),
    AfterValidator(_has_words),
]


class RunStatus(StrEnum):
    """A briefing's run as Temporal reports it (web/briefings/closed_run.py maps Temporal's)."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TERMINATED = "terminated"
    TIMED_OUT = "timed_out"
    CONTINUED_AS_NEW = "continued_as_new"
