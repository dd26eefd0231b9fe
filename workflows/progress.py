"""The workflow's record of each step: served by a query and published on its stream."""

from collections.abc import Callable
from datetime import datetime

from activities.models import TokenUsage
from workflows.models import (
    BriefingProgress,
    BriefingStatus,
    ProgressEvent,
    StepKind,
    StepProgress,
    StepState,
)
from workflows.review import ReviewOutcome, ReviewRequest

Publish = Callable[[ProgressEvent], None]


class ProgressTracker:
    """Every change bumps `version` and publishes exactly one event, so offsets are dense."""

    def __init__(self, topic: str, started_at: datetime, publish: Publish) -> None:
        self.progress = BriefingProgress(topic=topic, started_at=started_at)
        self._steps: dict[str, StepProgress] = {}
        self._publish = publish

    def add(self, step_id: str, kind: StepKind, label: str) -> None:
        step = StepProgress(id=step_id, kind=kind, label=label)
        self._steps[step_id] = step
        self.progress.steps.append(step)
        self._changed(step)

    def start(self, step_id: str, now: datetime) -> None:
        step = self._steps[step_id]
        step.state = StepState.RUNNING
        step.started_at = now
        step.attempt = max(step.attempt, 1)
        self._changed(step)

    def retrying(self, step_id: str, *, attempt: int, last_error: str | None) -> None:
        step = self._steps.get(step_id)
        if step is None or step.state not in (StepState.RUNNING, StepState.RETRYING):
            return  # a late report about a step that has already ended
        error = last_error or step.last_error
        if (step.state, step.attempt, step.last_error) == (StepState.RETRYING, attempt, error):
            return
        step.state, step.attempt, step.last_error = StepState.RETRYING, attempt, error
        self._changed(step)

    def finish(
        self,
        step_id: str,
        now: datetime,
        *,
        attempt: int = 1,
        tokens: int = 0,
        detail: str | None = None,
        usage: TokenUsage | None = None,
        text: str | None = None,
    ) -> None:
        step = self._steps[step_id]
        step.state = StepState.DONE
        step.text = text
        step.finished_at = now
        step.attempt = attempt
        step.tokens = tokens
        step.detail = detail
        if usage is not None:
            self.progress.usage = self.progress.usage + usage
        self._changed(step)

    def fail(self, step_id: str, now: datetime, *, reason: str, attempt: int | None = None) -> None:
        step = self._steps[step_id]
        step.state = StepState.FAILED
        step.finished_at = now
        step.last_error = reason
        if attempt:
            step.attempt = attempt
        self._changed(step)

    def open_review(self, request: ReviewRequest) -> None:
        self.progress.review = request
        self._changed(None, review=request)

    def close_review(self, outcome: ReviewOutcome) -> None:
        self.progress.review_outcome = outcome
        self._changed(None, review_outcome=outcome)

    def cancel_open_steps(self, now: datetime) -> None:
        for step in self.progress.steps:
            if step.state in (StepState.PENDING, StepState.RUNNING, StepState.RETRYING):
                step.state, step.finished_at = StepState.CANCELLED, now
                self._changed(step)

    def end(self, status: BriefingStatus, now: datetime, *, error: str | None = None) -> None:
        self.progress.status, self.progress.error = status, error
        self.progress.finished_at = now
        self._changed(None)

    def _changed(
        self,
        step: StepProgress | None,
        *,
        review: ReviewRequest | None = None,
        review_outcome: ReviewOutcome | None = None,
    ) -> None:
        self.progress.version += 1
        self._publish(
            ProgressEvent(
                version=self.progress.version,
                step=step.model_copy() if step else None,
                status=self.progress.status,
                usage=self.progress.usage,
                error=self.progress.error,
                finished_at=self.progress.finished_at,
                review=review,
                review_outcome=review_outcome,
            )
        )
