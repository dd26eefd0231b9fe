"""What one viewer receives: the events after the one it last saw, then live ones, then close.

Offsets are the workflow stream's: the same event has the same id in every web process, so a
browser that reconnects with Last-Event-ID gets exactly what it missed, even from a new process.
Each kind of event is one small class that knows its SSE name, its partial and its JSON; the
panels they carry come from one BriefingState (web/briefings/models.py), as on page load.
"""

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from pydantic import BaseModel

from web.briefings.models import (
    ArticlePanel,
    BriefingState,
    ProgressPanel,
    ReviewPanel,
    StatusPanel,
)
from web.live.feed import BriefingFeed
from web.live.fold import ProgressFold
from web.page_context import render_html
from workflows.models import BriefingProgress, BriefingStatus, ProgressEvent

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
    """Whether the run is moving changed: worker offline, Temporal unreachable, live again."""

    def json(self) -> str:
        return json.dumps({"liveness": self.panel.liveness.value})


@dataclass(frozen=True)
class Close(
    _PanelEvent[StatusPanel], name="close", template="_live_status.html", context_name="status"
):
    """The run has closed; the last event. Its panel has no actions left to offer."""

    def json(self) -> str:
        outcome = self.panel.outcome.value if self.panel.outcome else None
        return json.dumps({"status": outcome, "error": self.panel.error})


LiveEvent = Progress | Review | Done | Status | Close


async def live_events(
    feed: BriefingFeed, *, after: int | None, csrf_token: str = ""
) -> AsyncIterator[LiveEvent]:
    start = 0 if after is None else after + 1
    # A fresh web process may not have caught up with what this browser already saw.
    while len(feed.events) < start and not feed.finished:
        await feed.wait_for_change(len(feed.events), feed.liveness)
    fold = ProgressFold(topic="")
    for event in feed.events[:start]:
        fold.apply(event)
    offset, liveness = start, None
    while True:
        while offset < len(feed.events):
            event = feed.events[offset]
            state = _state(feed, fold.apply(event), csrf_token)
            if event.review is not None or event.review_outcome is not None:
                yield Review(state.review_panel())
            if event.status == BriefingStatus.COMPLETED and (article := state.article_panel()):
                yield Done(article)
            yield Progress(state.progress_panel(), offset, event)
            offset += 1
        state = _state(feed, fold.progress, csrf_token)
        if feed.finished:
            stream_complete = feed.events and feed.events[-1].status != BriefingStatus.RUNNING
            if (article := state.article_panel()) and not stream_complete:
                # The closed run's stream could not be read (no worker): its result still can.
                yield Done(article)
            yield Close(state.status_panel())
            return
        if feed.liveness != liveness:
            liveness = feed.liveness
            yield Status(state.status_panel())
        await feed.wait_for_change(offset, liveness)


def _state(feed: BriefingFeed, progress: BriefingProgress, csrf_token: str) -> BriefingState:
    return BriefingState(
        briefing_id=feed.briefing_id,
        steps=tuple(progress.steps),
        usage=progress.usage,
        review=progress.review,
        review_outcome=progress.review_outcome,
        article=feed.briefing,
        liveness=feed.liveness,
        outcome=feed.outcome,
        error=feed.outcome_error,
        csrf_token=csrf_token,
    )
