"""What a closed briefing run ended with: its status, and its result or why it failed.

A closed run never changes, so one reader serves all who need its end: the briefing's page and
API (service.py), its live feed (web/live/feed.py) and its downloads (web/exports/finished.py).
"""

from dataclasses import dataclass

from temporalio.client import (
    Client,
    WorkflowExecutionDescription,
    WorkflowExecutionStatus,
    WorkflowFailureError,
)

from activities.models import Briefing
from core.domain import RunStatus
from workflows.briefing import BriefingWorkflow
from workflows.failures import failure_reason
from workflows.models import BriefingResult

RUN_STATUS = {
    WorkflowExecutionStatus.RUNNING: RunStatus.RUNNING,
    WorkflowExecutionStatus.COMPLETED: RunStatus.COMPLETED,
    WorkflowExecutionStatus.FAILED: RunStatus.FAILED,
    WorkflowExecutionStatus.CANCELED: RunStatus.CANCELLED,
    WorkflowExecutionStatus.TERMINATED: RunStatus.TERMINATED,
    WorkflowExecutionStatus.TIMED_OUT: RunStatus.TIMED_OUT,
    WorkflowExecutionStatus.CONTINUED_AS_NEW: RunStatus.CONTINUED_AS_NEW,
}


@dataclass(frozen=True)
class ClosedRun:
    status: RunStatus
    result: BriefingResult | None = None  # when it completed
    error: str | None = None  # when it failed: the innermost reason

    @property
    def briefing(self) -> Briefing | None:
        return self.result.briefing if self.result else None


def run_status(status: WorkflowExecutionStatus | None) -> RunStatus:
    """Ours for Temporal's; a run Temporal gives no status for yet counts as running."""
    return RunStatus.RUNNING if status is None else RUN_STATUS.get(status, RunStatus.RUNNING)


async def run_result(client: Client, briefing_id: str, run_id: str | None) -> BriefingResult:
    """What a closed run returned; WorkflowFailureError when it failed."""
    handle = client.get_workflow_handle_for(BriefingWorkflow.run, briefing_id, run_id=run_id)
    return await handle.result()


async def read_closed_run(
    client: Client, run: WorkflowExecutionDescription, known: BriefingResult | None = None
) -> ClosedRun | None:
    """The described run's end, read once; None while it is still running.

    A caller that already holds the completed run's result (`known`) is not made to read it again.
    """
    status = run_status(run.status)
    if status == RunStatus.RUNNING:
        return None
    if status == RunStatus.COMPLETED:
        return ClosedRun(status, result=known or await run_result(client, run.id, run.run_id))
    if status == RunStatus.FAILED:
        try:
            await run_result(client, run.id, run.run_id)
        except WorkflowFailureError as failure:
            return ClosedRun(status, error=failure_reason(failure.cause))
    return ClosedRun(status)
