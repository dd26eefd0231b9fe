"""The home page's form: what a person typed, checked by the API's own rules, kept on errors."""

from dataclasses import dataclass, field

from fastapi import Request

from web.briefings.schemas import BriefingCreate
from web.form_flow import (
    MAX_STORIES_MESSAGE,
    TOPIC_MESSAGE,
    Banner,
    Choice,
    FormFlow,
    validated,
)
from web.idempotent_start import IdempotencyConflict
from web.source_labels import source_label
from web.submitted_form import SubmittedForm, new_idempotency_key
from workflows.models import MAX_SOURCES

DEFAULT_MAX_STORIES = BriefingCreate.model_fields["max_stories"].default
MESSAGES = {
    "topic": TOPIC_MESSAGE,
    "sources": f"Choose up to {MAX_SOURCES} of the feeds listed.",
    "max_stories": MAX_STORIES_MESSAGE,
}
NO_SOURCE = "Choose at least one source."
BRIEFING_FORM = FormFlow(
    noun="briefing",
    verb="started",
    page="home.html",
    key_taken=IdempotencyConflict,
)


@dataclass
class BriefingForm:
    configured_sources: list[str]
    topic: str = ""
    sources: list[str] = field(default_factory=list)
    max_stories: str = str(DEFAULT_MAX_STORIES)
    review: bool = False
    idempotency_key: str = field(default_factory=new_idempotency_key)
    errors: dict[str, str] = field(default_factory=dict)
    banner: Banner | None = None

    @classmethod
    def blank(cls, configured_sources: list[str]) -> "BriefingForm":
        return cls(configured_sources, sources=list(configured_sources))

    @classmethod
    async def submitted(cls, request: Request, configured_sources: list[str]) -> "BriefingForm":
        form = await SubmittedForm.read(request)
        return cls(
            configured_sources,
            topic=form.text("topic"),
            sources=form.values("sources"),
            max_stories=form.text("max_stories"),
            review=form.text("review") == "on",
            idempotency_key=form.idempotency_key(),
        )

    @property
    def choices(self) -> list[Choice]:
        return [
            Choice(url, source_label(url), url in self.sources) for url in self.configured_sources
        ]

    def validate(self) -> BriefingCreate | None:
        """The request to start, or None with `errors` set, one message per field."""
        candidate = {
            "topic": self.topic,
            "sources": self.sources or None,
            "max_stories": self.max_stories,
            "review": self.review,
        }
        create, errors = validated(BriefingCreate, candidate, MESSAGES)
        # No source ticked is ours to refuse: the API reads no sources as the default ones.
        self.errors = errors if self.sources else {**errors, "sources": NO_SOURCE}
        return None if self.errors else create
