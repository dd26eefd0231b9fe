"""The plain agent's HTTP contract, as the comparison sees it: start a run, read how far it got.

The plain agent (plain_agent/) serves these; its full view adds the step-by-step progress for
the page. What a comparison records is this much: counts, tokens, the finished briefing.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from activities.models import Briefing, TokenUsage


class PlainRunStart(BaseModel):
    """One briefing for the plain agent, with everything the durable one is given."""

    run_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")
    topic: str
    sources: list[str]
    max_stories: int
    model: str
    fallback_model: str | None = None


class PlainRunState(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    # Its process died with it: nothing of it is left but what others saw.
    LOST = "lost"


class PlainRunSnapshot(BaseModel):
    run_id: str
    state: PlainRunState
    summaries_done: int = 0
    summaries_total: int = 0
    usage: TokenUsage = Field(default_factory=TokenUsage)
    error: str | None = None
    started_at: datetime
    finished_at: datetime | None = None
    briefing: Briefing | None = None


class PlainRunOutcome(BaseModel):
    """How one plain run ended, as its watcher saw it; `last_seen` is all a lost run leaves."""

    run_id: str
    state: PlainRunState
    last_seen: PlainRunSnapshot | None = None
    reason: str | None = None


class WatchProgress(BaseModel):
    """The watcher's heartbeat: a retried watcher knows what the last one saw."""

    last_seen: PlainRunSnapshot | None = None
    down_since: datetime | None = None
