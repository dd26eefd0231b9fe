"""The briefing page's panels: one view model each, the same on page load and over SSE.

`BriefingState` is what a viewer's page knows of one briefing. The page route fills it from the
API's BriefingView (`of_view`), the live stream from the workflow's events (web/live/events.py),
and both take every panel from its methods, so a partial never sees two shapes. Each partial
names the one type it receives in a comment at its top.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from activities.models import Briefing, TokenUsage
from core.domain import RunStatus
from web.briefings.schemas import BriefingView
from web.live.liveness import Liveness
from workflows.models import StepProgress, StepState
from workflows.review import ReviewOutcome, ReviewRequest


@dataclass(frozen=True)
class ProgressPanel:
    """partials/_progress.html: the steps so far and the tokens they used."""

    steps: tuple[StepProgress, ...]
    usage: TokenUsage

    @property
    def done(self) -> int:
        return sum(step.state == StepState.DONE for step in self.steps)


@dataclass(frozen=True)
class ReviewDraft:
    """The editor's choice as sent, shown again with the reason it was not recorded."""

    error: str
    picked: tuple[str, ...]
    orders: Mapping[str, str]
    note: str | None


@dataclass(frozen=True)
class ReviewPanel:
    """partials/_review.html: the editor's form while the run waits for it, then the choice."""

    briefing_id: str
    request: ReviewRequest | None
    outcome: ReviewOutcome | None
    run_open: bool = True
    csrf_token: str = ""
    draft: ReviewDraft | None = None

    @property
    def awaiting_editor(self) -> bool:
        return self.run_open and self.outcome is None and self.request is not None

    @property
    def note(self) -> str:
        return (self.draft.note or "") if self.draft else ""

    def ticked(self, story_id: str) -> bool:
        if self.draft is not None:
            return story_id in self.draft.picked
        return self.request is not None and story_id in self.request.suggested

    def order(self, story_id: str, position: int) -> str:
        if self.draft is not None and story_id in self.draft.orders:
            return self.draft.orders[story_id]
        return str(position)


@dataclass(frozen=True)
class ArticlePanel:
    """partials/_briefing_live_done.html: the finished article and its downloads."""

    briefing_id: str
    briefing: Briefing


@dataclass(frozen=True)
class StatusPanel:
    """partials/_live_status.html: is the run moving, how it ended, and what can be done to it.

    The actions are here so that the event which ends the run also takes them away.
    """

    briefing_id: str
    liveness: Liveness
    outcome: RunStatus | None  # None while the run is open
    error: str | None = None
    csrf_token: str = ""

    @property
    def can_cancel(self) -> bool:
        return self.outcome is None


@dataclass(frozen=True)
class BriefingState:
    briefing_id: str
    steps: tuple[StepProgress, ...] = ()
    usage: TokenUsage = field(default_factory=TokenUsage)
    review: ReviewRequest | None = None
    review_outcome: ReviewOutcome | None = None
    article: Briefing | None = None
    liveness: Liveness = Liveness.LIVE
    outcome: RunStatus | None = None  # None while the run is open
    error: str | None = None
    csrf_token: str = ""  # the viewer's, for the forms the panels hold

    @classmethod
    def of_view(cls, view: BriefingView, csrf_token: str = "") -> "BriefingState":
        return cls(
            briefing_id=view.id,
            steps=tuple(view.steps or ()),
            usage=view.usage,
            review=view.review,
            review_outcome=view.review_outcome,
            article=view.result,
            # A progress note means no worker answered the query: the same as the live watch.
            liveness=Liveness.WORKER_OFFLINE if view.progress_note else Liveness.LIVE,
            outcome=None if view.status == RunStatus.RUNNING else view.status,
            error=view.error,
            csrf_token=csrf_token,
        )

    def progress_panel(self) -> ProgressPanel:
        return ProgressPanel(self.steps, self.usage)

    def review_panel(self, draft: ReviewDraft | None = None) -> ReviewPanel:
        return ReviewPanel(
            self.briefing_id,
            self.review,
            self.review_outcome,
            run_open=self.outcome is None,
            csrf_token=self.csrf_token,
            draft=draft,
        )

    def status_panel(self) -> StatusPanel:
        return StatusPanel(
            self.briefing_id, self.liveness, self.outcome, self.error, self.csrf_token
        )

    def article_panel(self) -> ArticlePanel | None:
        return None if self.article is None else ArticlePanel(self.briefing_id, self.article)
