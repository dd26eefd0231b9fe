"""What a briefing counts, on `workflow.metric_meter()`: replay-safe (a worker replaying a
history, after a crash or from its cache's eviction, emits nothing again), with namespace,
task_queue and workflow_type added to every point. Counting issues no command: no patch needed.
"""

from temporalio import workflow

from workflows.models import BriefingStatus

STARTED = "briefing_started_total"
COMPLETED = "briefing_completed_total"
FAILED = "briefing_failed_total"
CANCELLED = "briefing_cancelled_total"


def count_started() -> None:
    workflow.metric_meter().create_counter(STARTED, "briefings started").add(1)


# Each way a briefing ends, its counter and what the counter says.
ENDED = {
    BriefingStatus.COMPLETED: (COMPLETED, "briefings completed"),
    BriefingStatus.FAILED: (FAILED, "briefings failed, by reason"),
    BriefingStatus.CANCELLED: (CANCELLED, "briefings cancelled"),
}


def count_ended(status: BriefingStatus, failure_type: str | None = None) -> None:
    """A failure is counted by its type (NoStories, AllSourcesFailed, NoSummaries, ...)."""
    name, description = ENDED[status]
    reason = {"reason": failure_type or "unknown"} if status == BriefingStatus.FAILED else None
    workflow.metric_meter().create_counter(name, description).add(1, reason)
