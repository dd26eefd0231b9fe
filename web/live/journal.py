"""A briefing's live events as its viewers receive them, built once per web process for all.

The feed (feed.py) records each workflow event here as it arrives: folded once, drawn into the
events a viewer is sent for that stream offset (a review, the article, the progress), each
encoded at most once per encoding (rendering.py). A viewer is only a position in `entries`, so a
slow one holds no queue and nobody waits for it. The status (liveness and how many watch) is a
single latest value: a viewer that missed a few gets the newest, never a backlog; so is the text
each LLM step is writing (`writing`, one Delta per step, replaced as it grows).

Frames carry no viewer's CSRF token: the forms in them are htmx forms, which send the page's own
token in the X-CSRF-Token header (templates/base.html).
"""

import asyncio

from activities.models import Briefing
from core.domain import RunStatus
from web.briefings.models import BriefingState
from web.live.events import Close, Delta, Done, Progress, Review, Status
from web.live.fold import ProgressFold
from web.live.liveness import Liveness
from web.live.rendering import SharedEvent
from web.live.writing import Writing
from workflows.models import BriefingStatus, ProgressEvent, StepKind, StepState

WRITING_STEPS = (StepKind.SUMMARIZE, StepKind.COMPOSE)
UNDER_WAY = (StepState.RUNNING, StepState.RETRYING)


class EventJournal:
    def __init__(self, briefing_id: str) -> None:
        self.briefing_id = briefing_id
        # entries[offset]: what a viewer is sent for the workflow's event at that stream offset.
        self.entries: list[tuple[SharedEvent, ...]] = []
        self.status: SharedEvent | None = None
        # By step id: the Delta of each LLM step under way that has written (or lost) words.
        self.writing: dict[str, SharedEvent] = {}
        self.ending: tuple[SharedEvent, ...] | None = None  # once the run has closed
        self._fold = ProgressFold(topic="")
        self._last_status: BriefingStatus | None = None
        self._published: tuple[Liveness, int] | None = None
        self._changed = asyncio.Event()

    @property
    def closed(self) -> bool:
        return self.ending is not None

    def record(self, event: ProgressEvent, article: Briefing | None, liveness: Liveness) -> None:
        self._fold.apply(event)
        state = self._state(article, liveness)
        sent: list[SharedEvent] = []
        if event.review is not None or event.review_outcome is not None:
            sent.append(SharedEvent(Review(state.review_panel())))
        if event.status == BriefingStatus.COMPLETED and (panel := state.article_panel()):
            sent.append(SharedEvent(Done(panel)))
        sent.append(SharedEvent(Progress(state.progress_panel(), len(self.entries), event)))
        self.entries.append(tuple(sent))
        if event.step is not None and event.step.state not in UNDER_WAY:
            self.writing.pop(event.step.id, None)  # done: its text is in the step now
        self._last_status = event.status
        self._announce()

    @property
    def writing_under_way(self) -> bool:
        """Whether some LLM step is running or retrying, so may be writing."""
        return bool(self._writing_step_ids())

    def publish_writing(self, writing: dict[str, Writing]) -> None:
        """The text of each LLM step under way; a step no longer pending keeps its last."""
        under_way = self._writing_step_ids()
        changed = False
        for step_id, now in writing.items():
            shown = self.writing.get(step_id)
            if step_id in under_way and (shown is None or shown.event != Delta(now)):
                self.writing[step_id] = SharedEvent(Delta(now))
                changed = True
        if changed:
            self._announce()

    def _writing_step_ids(self) -> set[str]:
        return {
            step.id
            for step in self._fold.progress.steps
            if step.kind in WRITING_STEPS and step.state in UNDER_WAY
        }

    def publish_status(self, liveness: Liveness, viewers: int) -> None:
        """A new status for every viewer, unless it would say what the last one did."""
        if self._published == (liveness, viewers):
            return
        self._published = (liveness, viewers)
        state = BriefingState(self.briefing_id, liveness=liveness)
        self.status = SharedEvent(Status(state.status_panel(), viewers))
        self._announce()

    def close(
        self,
        outcome: RunStatus,
        error: str | None,
        article: Briefing | None,
        liveness: Liveness,
    ) -> None:
        state = BriefingState(
            self.briefing_id, article=article, liveness=liveness, outcome=outcome, error=error
        )
        ending: list[SharedEvent] = []
        stream_complete = self._last_status not in (None, BriefingStatus.RUNNING)
        if (panel := state.article_panel()) and not stream_complete:
            # The closed run's stream could not be read (no worker): its result still can.
            ending.append(SharedEvent(Done(panel)))
        ending.append(SharedEvent(Close(state.status_panel())))
        self.ending = tuple(ending)
        self._announce()

    async def changed(self) -> None:
        """Returns at the next change of entries, status, writing or ending after this call."""
        await self._changed.wait()

    def next_change(self) -> asyncio.Event:
        """Set at the next change after this call, whether or not anyone waits for it yet."""
        return self._changed

    def _announce(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def _state(self, article: Briefing | None, liveness: Liveness) -> BriefingState:
        progress = self._fold.progress
        return BriefingState(
            briefing_id=self.briefing_id,
            steps=tuple(progress.steps),
            usage=progress.usage,
            review=progress.review,
            review_outcome=progress.review_outcome,
            article=article,
            liveness=liveness,
        )
