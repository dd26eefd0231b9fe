"""The plain agent's runs: kept in this process's memory, as in a typical agent server.

Nothing is written anywhere. A run that is killed with its process leaves no trace here; the
process that comes back has never heard of it.
"""

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from activities.llm.live_text import LiveText
from activities.models import Briefing
from activities.plain_runs.models import PlainRunStart, PlainRunState
from plain_agent.agent import PlainAgent, PlainRunFailed
from plain_agent.views import PlainRunView
from workflows.models import BriefingRequest, BriefingStatus, StepKind, summaries_done
from workflows.progress import ProgressTracker

log = logging.getLogger(__name__)
# Finished runs kept for readers, oldest dropped first: memory stays bounded on a long demo.
KEEP_FINISHED_RUNS = 200
STATES = {
    BriefingStatus.RUNNING: PlainRunState.RUNNING,
    BriefingStatus.COMPLETED: PlainRunState.COMPLETED,
    BriefingStatus.FAILED: PlainRunState.FAILED,
    BriefingStatus.CANCELLED: PlainRunState.FAILED,
}


@dataclass
class _Run:
    run_id: str
    tracker: ProgressTracker
    briefing: Briefing | None = None
    # The words of each LLM step under way, by step id; gone with the process, as all of this.
    writing: dict[str, LiveText] = field(default_factory=dict)
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    def view(self) -> PlainRunView:
        progress = self.tracker.progress
        summaries = [step for step in progress.steps if step.kind == StepKind.SUMMARIZE]
        started_at = progress.started_at
        assert started_at is not None  # the tracker sets it when it is made
        return PlainRunView(
            run_id=self.run_id,
            state=STATES[progress.status],
            summaries_done=summaries_done(progress.steps),
            summaries_total=len(summaries),
            usage=progress.usage,
            error=progress.error,
            started_at=started_at,
            finished_at=progress.finished_at,
            briefing=self.briefing,
            progress=progress,
            writing=dict(self.writing),
        )


class PlainRuns:
    def __init__(self, agent: PlainAgent) -> None:
        self._agent = agent
        self._runs: dict[str, _Run] = {}

    def start(self, start: PlainRunStart) -> tuple[PlainRunView, bool]:
        """The run, and whether this call started it: a run id names one run for good."""
        if (run := self._runs.get(start.run_id)) is not None:
            return run.view(), False
        request = BriefingRequest(
            topic=start.topic,
            sources=start.sources,
            max_stories=start.max_stories,
            model=start.model,
            fallback_model=start.fallback_model,
        )
        run = _Run(start.run_id, self._agent.tracker(request))
        run.task = asyncio.create_task(self._run(run, request), name=f"plain-{start.run_id}")
        self._runs[start.run_id] = run
        self._forget_old()
        return run.view(), True

    def get(self, run_id: str) -> PlainRunView | None:
        run = self._runs.get(run_id)
        return run.view() if run else None

    def running(self) -> int:
        return sum(run.task is not None and not run.task.done() for run in self._runs.values())

    async def _run(self, run: _Run, request: BriefingRequest) -> None:
        try:
            run.briefing = await self._agent.run(run.run_id, request, run.tracker, run.writing)
        except PlainRunFailed as error:
            log.warning("plain run %s failed: %s", run.run_id, error)
        except Exception as error:  # noqa: BLE001 - a bug ends the run, said on it, not the process
            log.exception("plain run %s crashed", run.run_id)
            run.tracker.end(BriefingStatus.FAILED, datetime.now(UTC), error=f"crashed: {error}")

    def _forget_old(self) -> None:
        finished = [key for key, run in self._runs.items() if run.task and run.task.done()]
        for key in finished[: max(0, len(finished) - KEEP_FINISHED_RUNS)]:
            del self._runs[key]
