"""The workflow's input, its queryable progress and its result."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from activities.models import Briefing, TokenUsage
from core.domain import Topic
from workflows.review import ReviewOutcome, ReviewRequest

MAX_STORIES_LIMIT = 25
MAX_SOURCES = 20


class BriefingRequest(BaseModel):
    topic: Topic
    sources: list[str] = Field(min_length=1, max_length=MAX_SOURCES)
    max_stories: int = Field(8, ge=1, le=MAX_STORIES_LIMIT)
    # Resolved when the briefing starts, so a replay never depends on the worker's settings.
    model: str
    fallback_model: str | None = None
    # The task queue of the feed downloads, resolved at start like `model`; None (briefings
    # started before there was one): the workflow's own queue.
    feed_task_queue: str | None = None
    # Wait for an editor to pick the stories; go ahead with the top ones after this long.
    review: bool = False
    review_timeout_seconds: int = Field(3600, ge=10, le=7 * 24 * 3600)


class StepKind(StrEnum):
    FETCH = "fetch"
    SELECT = "select"
    REVIEW = "review"
    READ = "read"
    SUMMARIZE = "summarize"
    COMPOSE = "compose"


class StepState(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    RETRYING = "retrying"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class StepProgress(BaseModel):
    id: str
    kind: StepKind
    label: str
    state: StepState = StepState.PENDING
    attempt: int = 0
    last_error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    tokens: int = 0
    detail: str | None = None
    # What an LLM step wrote (a summary, the lead), once done: the page showed it being written.
    text: str | None = None


def summaries_done(steps: list[StepProgress] | None) -> int:
    return sum(s.kind == StepKind.SUMMARIZE and s.state == StepState.DONE for s in steps or [])


class BriefingStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class SourceFailure(BaseModel):
    url: str
    reason: str


class BriefingProgress(BaseModel):
    topic: str
    status: BriefingStatus = BriefingStatus.RUNNING
    steps: list[StepProgress] = Field(default_factory=list)
    failed_sources: list[SourceFailure] = Field(default_factory=list)
    usage: TokenUsage = Field(default_factory=TokenUsage)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str | None = None
    review: ReviewRequest | None = None
    review_outcome: ReviewOutcome | None = None
    # Bumped on every change so readers can tell whether anything moved.
    version: int = 0


def stream_offset(version: int) -> int:
    """The stream offset of the event that brought progress to `version`; -1 before any."""
    return version - 1


class ProgressEvent(BaseModel):
    """One change, as published on the workflow's stream at offset `stream_offset(version)`."""

    version: int
    step: StepProgress | None = None
    status: BriefingStatus
    usage: TokenUsage
    error: str | None = None
    finished_at: datetime | None = None
    # Set on the events that open and close the editor's review.
    review: ReviewRequest | None = None
    review_outcome: ReviewOutcome | None = None


class BriefingResult(BaseModel):
    briefing: Briefing
    progress: BriefingProgress
