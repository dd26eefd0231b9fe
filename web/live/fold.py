"""Rebuilding a briefing's progress from its stream of events, one event at a time."""

from workflows.models import BriefingProgress, ProgressEvent


class ProgressFold:
    """The state after the events applied so far; the same events always give the same state."""

    def __init__(self, topic: str) -> None:
        self.progress = BriefingProgress(topic=topic)
        self._positions: dict[str, int] = {}

    def apply(self, event: ProgressEvent) -> BriefingProgress:
        progress = self.progress
        if event.step is not None:
            position = self._positions.get(event.step.id)
            if position is None:
                self._positions[event.step.id] = len(progress.steps)
                progress.steps.append(event.step)
            else:
                progress.steps[position] = event.step
        if event.review is not None:
            progress.review = event.review
        if event.review_outcome is not None:
            progress.review_outcome = event.review_outcome
        progress.status, progress.usage, progress.error = event.status, event.usage, event.error
        progress.finished_at = event.finished_at
        progress.version = event.version
        return progress
