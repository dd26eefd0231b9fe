"""What a briefing counts, on `workflow.metric_meter()`: replay-safe (a worker replaying a
history, after a crash or from its cache's eviction, emits nothing again), with namespace,
task_queue and workflow_type added to every point. Counting issues no command: no patch needed.
"""

from temporalio import workflow

STARTED = "briefing_started_total"
COMPLETED = "briefing_completed_total"
FAILED = "briefing_failed_total"
CANCELLED = "briefing_cancelled_total"


def count_started() -> None:
    workflow.metric_meter().create_counter(STARTED, "briefings started").add(1)


def count_completed() -> None:
    workflow.metric_meter().create_counter(COMPLETED, "briefings completed").add(1)


def count_failed(reason: str | None) -> None:
    """`reason`: the failure's type (NoStories, AllSourcesFailed, NoSummaries, ComposeFailed)."""
    failed = workflow.metric_meter().create_counter(FAILED, "briefings failed, by reason")
    failed.add(1, {"reason": reason or "unknown"})


def count_cancelled() -> None:
    workflow.metric_meter().create_counter(CANCELLED, "briefings cancelled").add(1)
