"""The events of a briefing's live stream, each one small class that knows its SSE name, its
partial and its JSON.

Offsets are the workflow stream's: the same event has the same id in every web process, so a
browser that reconnects with Last-Event-ID gets exactly what it missed, even from a new process.
The panels they carry come from one BriefingState (web/briefings/models.py), as on page load;
web/live/journal.py builds each event once per briefing, for all its viewers.
"""

import json
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from pydantic import BaseModel

from web.briefings.models import ArticlePanel, ProgressPanel, ReviewPanel, StatusPanel
from web.live.writing import Writing
from web.page_context import render_html
from workflows.models import ProgressEvent

Panel = TypeVar("Panel")


def _dump(model: BaseModel | None) -> dict | None:
    return model.model_dump(mode="json") if model is not None else None


@dataclass(frozen=True)
class _PanelEvent(Generic[Panel]):
    """An event carrying one panel, drawn by one partial that calls its model `context_name`."""

    panel: Panel
    name: ClassVar[str]
    template: ClassVar[str]
    context_name: ClassVar[str]

    def __init_subclass__(cls, *, name: str, template: str, context_name: str) -> None:
        super().__init_subclass__()
        cls.name, cls.template, cls.context_name = name, f"partials/{template}", context_name

    @property
    def id(self) -> str | None:
        return None

    @property
    def html_name(self) -> str:
        return self.name

    def html(self) -> str:
        return render_html(self.template, **{self.context_name: self.panel})


@dataclass(frozen=True)
class Progress(
    _PanelEvent[ProgressPanel], name="progress", template="_progress.html", context_name="progress"
):
    """A step moved. The only event with an id: progress events are what a viewer resumes by."""

    offset: int
    event: ProgressEvent

    @property
    def id(self) -> str | None:
        return str(self.offset)

    def json(self) -> str:
        return self.event.model_dump_json()


@dataclass(frozen=True)
class Review(
    _PanelEvent[ReviewPanel], name="review", template="_review.html", context_name="review"
):
    """The editor's review opened or closed."""

    def json(self) -> str:
        return json.dumps(
            {"review": _dump(self.panel.request), "review_outcome": _dump(self.panel.outcome)}
        )


@dataclass(frozen=True)
class Done(
    _PanelEvent[ArticlePanel],
    name="briefing",
    template="_briefing_live_done.html",
    context_name="article",
):
    """The article of a completed briefing."""

    def json(self) -> str:
        return self.panel.briefing.model_dump_json()


@dataclass(frozen=True)
class Status(
    _PanelEvent[StatusPanel], name="status", template="_live_status.html", context_name="status"
):
    """Whether the run is moving changed (worker offline, Temporal unreachable, live again), or
    how many watch it through this web process did."""

    viewers: int

    def html(self) -> str:
        return render_html(self.template, status=self.panel, viewers=self.viewers)

    def json(self) -> str:
        return json.dumps({"liveness": self.panel.liveness.value, "viewers": self.viewers})


@dataclass(frozen=True)
class Close(
    _PanelEvent[StatusPanel], name="close", template="_live_status.html", context_name="status"
):
    """The run has closed; the last event. Its panel has no actions left to offer."""

    def json(self) -> str:
        outcome = self.panel.outcome.value if self.panel.outcome else None
        return json.dumps({"status": outcome, "error": self.panel.error})


@dataclass(frozen=True)
class Delta:
    """The text an LLM step is writing, whole so far (a viewer that missed one loses nothing).

    No id: it is not an offset of the workflow's stream. A viewer that reconnects resumes by
    progress events, then gets each step's text so far anew. For htmx each step has its own
    event name, so the text lands in that step's element."""

    writing: Writing
    name: ClassVar[str] = "delta"
    id: ClassVar[None] = None

    @property
    def html_name(self) -> str:
        return f"text-{self.writing.step_id}"

    def html(self) -> str:
        return render_html("partials/_step_writing.html", writing=self.writing)

    def json(self) -> str:
        writing = self.writing
        written_at = writing.written_at.isoformat() if writing.written_at else None
        return json.dumps(
            {
                "step": writing.step_id,
                "attempt": writing.attempt,
                "text": writing.text,
                "words": writing.words,
                "written_at": written_at,
                "lost": [
                    {"attempt": lost.attempt, "words": lost.words, "text": lost.text}
                    for lost in writing.lost
                ],
            }
        )


LiveEvent = Progress | Review | Done | Status | Close | Delta
