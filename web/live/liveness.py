"""Is a running briefing moving? Read from what the server says is pending, not from guesses."""

from datetime import UTC, datetime, timedelta
from enum import StrEnum

from temporalio.api.enums.v1 import PendingActivityState, PendingWorkflowTaskState
from temporalio.api.workflowservice.v1 import DescribeWorkflowExecutionResponse

# Work that nobody has picked up for this long means no worker is polling.
STALL_AFTER = timedelta(seconds=3)


class Liveness(StrEnum):
    LIVE = "live"
    WORKER_OFFLINE = "worker_offline"
    TEMPORAL_UNREACHABLE = "temporal_unreachable"


def assess(description: DescribeWorkflowExecutionResponse, now: datetime) -> Liveness:
    waiting_since = [_activity_waiting_since(a) for a in description.pending_activities]
    task = description.pending_workflow_task
    if description.HasField("pending_workflow_task") and (
        task.state == PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED
    ):
        waiting_since.append(task.scheduled_time.ToDatetime(tzinfo=UTC))
    stalled = any(since and now - since > STALL_AFTER for since in waiting_since)
    return Liveness.WORKER_OFFLINE if stalled else Liveness.LIVE


def _activity_waiting_since(activity) -> datetime | None:
    """When a scheduled activity became due; None while it runs or waits out a backoff."""
    if activity.state != PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED:
        return None
    for field in ("next_attempt_schedule_time", "last_attempt_complete_time", "scheduled_time"):
        if activity.HasField(field):
            return getattr(activity, field).ToDatetime(tzinfo=UTC)
    return None
