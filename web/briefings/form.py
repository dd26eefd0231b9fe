"""The home page's form: what a person typed, checked by the API's own rules, kept on errors."""

from dataclasses import dataclass, field

from fastapi import Request
from pydantic import ValidationError

from core.domain import TOPIC_MAX_CHARS
from web.briefings.schemas import BriefingCreate
from web.source_labels import source_label
from web.submitted_form import SubmittedForm, new_idempotency_key
from workflows.models import MAX_SOURCES, MAX_STORIES_LIMIT

DEFAULT_MAX_STORIES = BriefingCreate.model_fields["max_stories"].default
MESSAGES = {
    "topic": f"Enter a topic of 1 to {TOPIC_MAX_CHARS} characters.",
    "sources": f"Choose up to {MAX_SOURCES} of the feeds listed.",
    "max_stories": f"Choose a number of stories from 1 to {MAX_STORIES_LIMIT}.",
}
NO_SOURCE = "Choose at least one source."


@dataclass(frozen=True)
class SourceChoice:
    url: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Banner:
    kind: str  # a .banner modifier in app.css: ok, warn or error
    text: str


@dataclass
class BriefingForm:
    configured_sources: list[str]
    topic: str = ""
    sources: list[str] = field(default_factory=list)
    max_stories: str = str(DEFAULT_MAX_STORIES)
    review: bool = False
    # One per rendered form: submitting it twice starts one briefing, not two.
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
    def choices(self) -> list[SourceChoice]:
        return [
            SourceChoice(url, source_label(url), url in self.sources)
            for url in self.configured_sources
        ]

    def validate(self) -> BriefingCreate | None:
        """The request to start, or None with `errors` set, one message per field."""
        errors = {} if self.sources else {"sources": NO_SOURCE}
        candidate = {
            "topic": self.topic,
            "sources": self.sources or None,
            "max_stories": self.max_stories,
            "review": self.review,
        }
        try:
            create = BriefingCreate.model_validate(candidate)
        except ValidationError as error:
            for problem in error.errors():
                name = str(problem["loc"][0])
                errors.setdefault(name, MESSAGES.get(name, problem["msg"]))
            create = None
        self.errors = errors
        return None if errors else create
