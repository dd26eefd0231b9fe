"""Fetch: every source in parallel; a source that keeps failing is recorded, not fatal."""

import asyncio

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from activities.fetch import FeedFetcher
from activities.models import FeedEntry, FetchFeedInput
from workflows import activity_options as options
from workflows.failures import failure_reason, reraise_if_cancelled
from workflows.models import SourceFailure, StepKind
from workflows.progress import ProgressTracker


async def fetch_all(tracker: ProgressTracker, sources: list[str]) -> list[FeedEntry]:
    for index, url in enumerate(sources):
        tracker.add(f"fetch-{index}", StepKind.FETCH, url)
    batches = await asyncio.gather(
        *(_fetch_one(tracker, f"fetch-{index}", url) for index, url in enumerate(sources))
    )
    failures = tracker.progress.failed_sources
    if len(failures) == len(sources):
        reasons = "; ".join(f"{failure.url}: {failure.reason}" for failure in failures)
        raise ApplicationError(
            f"every source failed: {reasons}", type="AllSourcesFailed", non_retryable=True
        )
    return [entry for batch in batches for entry in batch]


async def _fetch_one(tracker: ProgressTracker, step_id: str, url: str) -> list[FeedEntry]:
    tracker.start(step_id, workflow.now())
    try:
        result = await workflow.execute_activity_method(
            FeedFetcher.fetch_feed,
            FetchFeedInput(url=url),
            activity_id=step_id,
            start_to_close_timeout=options.FETCH_START_TO_CLOSE,
            heartbeat_timeout=options.FETCH_HEARTBEAT,
            retry_policy=options.FETCH_RETRY,
            cancellation_type=options.CANCELLATION,
        )
    except ActivityError as error:
        reraise_if_cancelled(error)
        reason = failure_reason(error)
        tracker.fail(step_id, workflow.now(), reason=reason)
        tracker.progress.failed_sources.append(SourceFailure(url=url, reason=reason))
        return []
    detail = f"{result.source_name}: {len(result.entries)} stories"
    tracker.finish(step_id, workflow.now(), attempt=result.attempt, detail=detail)
    return result.entries
