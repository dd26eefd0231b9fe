"""The workflow's record of each step, kept small and served by a query."""

from datetime import datetime

from workflows.models import BriefingProgress, StepKind, StepProgress, StepState


class ProgressTracker:
    def __init__(self, topic: str, started_at: datetime) -> None:
        self.progress = BriefingProgress(topic=topic, started_at=started_at)
        self._steps: dict[str, StepProgress] = {}

    def add(self, step_id: str, kind: StepKind, label: str) -> None:
        step = StepProgress(id=step_id, kind=kind, label=label)
        self._steps[step_id] = step
        self.progress.steps.append(step)
        self._changed()

    def start(self, step_id: str, now: datetime) -> None:
        step = self._steps[step_id]
        step.state = StepState.RUNNING
        step.started_at = now
        step.attempt = max(step.attempt, 1)
        self._changed()

    def finish(
        self,
        step_id: str,
        now: datetime,
        *,
        attempt: int = 1,
        tokens: int = 0,
        detail: str | None = None,
    ) -> None:
        step = self._steps[step_id]
        step.state = StepState.DONE
        step.finished_at = now
        step.attempt = attempt
        step.tokens = tokens
        step.detail = detail
        self._changed()

    def fail(self, step_id: str, now: datetime, *, reason: str, attempt: int | None = None) -> None:
        step = self._steps[step_id]
        step.state = StepState.FAILED
        step.finished_at = now
        step.last_error = reason
        if attempt:
            step.attempt = attempt
        self._changed()

    def _changed(self) -> None:
        self.progress.version += 1
