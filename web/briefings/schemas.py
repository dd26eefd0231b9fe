"""What the JSON API accepts and returns."""

from datetime import datetime

from pydantic import BaseModel, Field, HttpUrl

from activities.models import Briefing, TokenUsage
from core.domain import RunStatus, Topic
from workflows.models import MAX_SOURCES, MAX_STORIES_LIMIT, SourceFailure, StepProgress
from workflows.review import ReviewOutcome, ReviewRequest


class BriefingCreate(BaseModel):
    topic: Topic = Field(examples=["science"])
    sources: list[HttpUrl] | None = Field(
        None, max_length=MAX_SOURCES, description="Feed URLs; the configured feeds when omitted."
    )
    max_stories: int = Field(8, ge=1, le=MAX_STORIES_LIMIT)
    review: bool = Field(False, description="Wait for an editor to pick the stories")


class BriefingCreated(BaseModel):
    id: str
    url: str
    temporal_ui_url: str


class BriefingView(BaseModel):
    id: str
    topic: str
    status: RunStatus
    started_at: datetime | None
    finished_at: datetime | None
    steps: list[StepProgress] | None = Field(
        description="Null while no worker can answer for a running briefing."
    )
    progress_note: str | None = None
    version: int = Field(0, description="Progress events so far; the last event id is version-1.")
    failed_sources: list[SourceFailure] = Field(default_factory=list)
    usage: TokenUsage = Field(default_factory=TokenUsage)
    error: str | None = None
    result: Briefing | None = None
    review: ReviewRequest | None = Field(None, description="Set while it waits for an editor")
    review_outcome: ReviewOutcome | None = None
    temporal_ui_url: str


class BriefingListItem(BaseModel):
    id: str
    topic: str
    status: RunStatus
    started_at: datetime | None
    finished_at: datetime | None
    duration_seconds: float | None
    url: str


class BriefingList(BaseModel):
    briefings: list[BriefingListItem]
