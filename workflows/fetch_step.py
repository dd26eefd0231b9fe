"""Fetch: every source, a few at a time; a source that keeps failing is recorded, not fatal."""

import asyncio
from dataclasses import dataclass

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from activities.fetch import FeedFetcher
from activities.models import FeedEntry, FetchFeedInput
from workflows import activity_options as options
from workflows.failures import failure_reason, reraise_if_cancelled
from workflows.models import BriefingRequest, SourceFailure, StepKind
from workflows.progress import ProgressTracker

# Briefings started before it fetch every listed source at once on their own task queue, as
# their histories say; later ones fetch each source once, a few at a time, on the feed queue.
FETCH_CAPACITY_PATCH = "fetch-capacity"


@dataclass(frozen=True)
class FetchPlan:
    sources: list[str]
    task_queue: str | None
    slots: asyncio.Semaphore


def fetch_plan(request: BriefingRequest) -> FetchPlan:
    if workflow.patched(FETCH_CAPACITY_PATCH):
        # One fetch per URL: listing a slow one twenty times must not cost twenty slots.
        sources = list(dict.fromkeys(request.sources))
        slots = asyncio.Semaphore(options.FETCH_CONCURRENCY)
        return FetchPlan(sources, request.feed_task_queue, slots)
    return FetchPlan(request.sources, None, asyncio.Semaphore(len(request.sources)))


async def fetch_all(tracker: ProgressTracker, request: BriefingRequest) -> list[FeedEntry]:
    plan = fetch_plan(request)
    steps = {f"fetch-{index}": url for index, url in enumerate(plan.sources)}
    for step_id, url in steps.items():
        tracker.add(step_id, StepKind.FETCH, url)
    batches = await asyncio.gather(
        *(_fetch_one(tracker, plan, step_id, url) for step_id, url in steps.items())
    )
    failures = tracker.progress.failed_sources
    if len(failures) == len(plan.sources):
        reasons = "; ".join(f"{failure.url}: {failure.reason}" for failure in failures)
        raise ApplicationError(
            f"every source failed: {reasons}", type="AllSourcesFailed", non_retryable=True
        )
    return [entry for batch in batches for entry in batch]


async def _fetch_one(
    tracker: ProgressTracker, plan: FetchPlan, step_id: str, url: str
) -> list[FeedEntry]:
    async with plan.slots:
        tracker.start(step_id, workflow.now())
        try:
            result = await workflow.execute_activity_method(
                FeedFetcher.fetch_feed,
                FetchFeedInput(url=url),
                activity_id=step_id,
                summary=f"Fetch: {url}",
                task_queue=plan.task_queue,
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
