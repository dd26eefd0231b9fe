"""Steps as the workflow reports them, plus what only the server knows: retries in flight."""

from temporalio.api.workflow.v1 import PendingActivityInfo
from temporalio.client import WorkflowExecutionDescription

from workflows.failures import failure_text
from workflows.models import StepProgress, StepState


def live_steps(
    steps: list[StepProgress], description: WorkflowExecutionDescription
) -> list[StepProgress]:
    pending = {
        activity.activity_id: activity
        for activity in description.raw_description.pending_activities
    }
    return [_merge(step, pending.get(step.id)) for step in steps]


def _merge(step: StepProgress, activity: PendingActivityInfo | None) -> StepProgress:
    if activity is None or step.state != StepState.RUNNING:
        return step
    update: dict = {"attempt": max(activity.attempt, 1)}
    if activity.attempt > 1:
        update["state"] = StepState.RETRYING
        update["last_error"] = _failure_message(activity)
    return step.model_copy(update=update)


def _failure_message(activity: PendingActivityInfo) -> str | None:
    return failure_text(activity.last_failure) if activity.HasField("last_failure") else None
