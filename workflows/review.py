"""The editor's review: the candidate stories offered, and the choice made of them.

Pure and deterministic: the workflow runs it, and the update's validator uses it to refuse a
bad choice before anything is written to the history.
"""

from datetime import datetime

from pydantic import BaseModel, Field

from activities.models import Story

CANDIDATE_EXCERPT_CHARS = 280
NOTE_MAX_CHARS = 500


class Candidate(BaseModel):
    id: str
    title: str
    source_names: list[str]
    published: datetime | None = None
    excerpt: str


class ReviewRequest(BaseModel):
    """What the editor is asked: published on the stream when the review opens."""

    candidates: list[Candidate]
    max_stories: int
    suggested: list[str]  # the ids the agent would pick on its own, in its order
    deadline: datetime


class ReviewDecision(BaseModel):
    story_ids: list[str] = Field(description="Chosen stories, in the order wanted")
    note: str | None = Field(None, max_length=NOTE_MAX_CHARS)


class ReviewOutcome(BaseModel):
    story_ids: list[str]
    note: str | None = None
    by_editor: bool


class InvalidReview(ValueError):
    pass


def candidates_of(stories: list[Story]) -> list[Candidate]:
    return [
        Candidate(
            id=story.id,
            title=story.title,
            source_names=story.source_names,
            published=story.published,
            excerpt=_shorten(story.excerpt),
        )
        for story in stories
    ]


def check_decision(decision: ReviewDecision, request: ReviewRequest) -> None:
    """Raises InvalidReview with a message a person can act on."""
    known = {candidate.id for candidate in request.candidates}
    if not decision.story_ids:
        raise InvalidReview("choose at least one story")
    unknown = [story_id for story_id in decision.story_ids if story_id not in known]
    if unknown:
        raise InvalidReview(f"unknown story: {', '.join(unknown)}")
    if len(set(decision.story_ids)) != len(decision.story_ids):
        raise InvalidReview("a story is chosen twice")
    if len(decision.story_ids) > request.max_stories:
        raise InvalidReview(f"choose at most {request.max_stories} stories")


def _shorten(text: str) -> str:
    if len(text) <= CANDIDATE_EXCERPT_CHARS:
        return text
    return text[: CANDIDATE_EXCERPT_CHARS - 1].rsplit(" ", 1)[0] + "…"
