"""One briefing followed on the web's JSON SSE stream, each event stamped when it arrived."""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from testing.sse_client import read_frames
from workflows.models import BriefingStatus, ProgressEvent, StepKind, StepProgress


class StreamEnded(RuntimeError):
    """The stream closed (or broke) before the awaited condition held."""


def published_after(event: ProgressEvent, moment: datetime) -> bool:
    """Whether the workflow can only have published this event after `moment`."""
    if event.finished_at is not None:
        return event.finished_at > moment
    step = event.step
    if step is None:
        return False
    # No faults are injected by the benches: attempt 2 only comes from the crash.
    if step.attempt >= 2:
        return True
    return any(at is not None and at > moment for at in (step.started_at, step.finished_at))


class BriefingStream:
    def __init__(self, web: httpx.AsyncClient) -> None:
        self.created_at = datetime.now(UTC)  # before the POST that starts the briefing
        self.events: list[tuple[datetime, ProgressEvent]] = []
        self.steps: dict[str, StepProgress] = {}
        self.completed_at: datetime | None = None
        self._web = web
        self._changed = asyncio.Condition()
        self._task: asyncio.Task | None = None

    def follow(self, briefing_id: str) -> None:
        self._task = asyncio.create_task(self._read(f"/api/briefings/{briefing_id}/events"))

    async def _read(self, url: str) -> None:
        try:
            async for frame in read_frames(self._web, url):
                arrived = datetime.now(UTC)
                if frame.event == "progress":
                    self._accept(arrived, ProgressEvent.model_validate_json(frame.data))
                async with self._changed:
                    self._changed.notify_all()
                if frame.event == "close":
                    return
        finally:
            async with self._changed:
                self._changed.notify_all()

    def _accept(self, arrived: datetime, event: ProgressEvent) -> None:
        self.events.append((arrived, event))
        if event.step is not None:
            self.steps[event.step.id] = event.step
        if event.status == BriefingStatus.COMPLETED and self.completed_at is None:
            self.completed_at = arrived

    async def wait_until(
        self, condition: Callable[["BriefingStream"], object], timeout: float
    ) -> "BriefingStream":
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: condition(self) or self._reading_ended()), timeout
            )
        if not condition(self):
            last = self.events[-1][1] if self.events else None
            status = f"{last.status}: {(last.error or '')[:300]}" if last else "no events"
            raise StreamEnded(f"the stream ended first; the briefing is {status}")
        return self

    def _reading_ended(self) -> bool:
        return self._task is not None and self._task.done()

    def summaries(self, state: str) -> list[StepProgress]:
        return [
            step
            for step in self.steps.values()
            if step.kind == StepKind.SUMMARIZE and step.state == state
        ]

    def first_published_after(self, moment: datetime) -> datetime | None:
        """When the first event published after `moment` arrived here."""
        return next((at for at, event in self.events if published_after(event, moment)), None)

    def duration(self) -> float:
        if self.completed_at is None:
            raise StreamEnded("the briefing has not completed on this stream")
        return (self.completed_at - self.created_at).total_seconds()
