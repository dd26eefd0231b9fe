"""Summarize: every chosen story, a few at a time; a second model when the first refuses."""

import asyncio

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from activities.errors import LLMError
from activities.models import StorySummary, SummarizedStory
from activities.summarize import SummarizeActivities
from workflows import activity_options as options
from workflows.failures import failure_reason, failure_type, reraise_if_cancelled
from workflows.models import BriefingRequest, StepKind
from workflows.progress import ProgressTracker
from workflows.reading import StoryText


async def summarize_all(
    tracker: ProgressTracker, request: BriefingRequest, texts: list[StoryText]
) -> list[SummarizedStory]:
    for text in texts:
        tracker.add(f"summarize-{text.story.id}", StepKind.SUMMARIZE, text.story.title)
    bound = asyncio.Semaphore(options.SUMMARY_CONCURRENCY)
    results = await asyncio.gather(
        *(_summarize_one(tracker, request, text, bound) for text in texts)
    )
    summarized = [result for result in results if result is not None]
    if not summarized:
        failed = [step for step in tracker.progress.steps if step.last_error]
        reason = failed[-1].last_error if failed else "no story could be summarised"
        raise ApplicationError(f"no story could be summarised: {reason}", type="NoSummaries")
    return summarized


async def _summarize_one(
    tracker: ProgressTracker, request: BriefingRequest, text: StoryText, bound: asyncio.Semaphore
) -> SummarizedStory | None:
    step_id = f"summarize-{text.story.id}"
    models = [request.model, *([request.fallback_model] if request.fallback_model else [])]
    fell_back_because = None
    async with bound:
        tracker.start(step_id, workflow.now())
        for model in dict.fromkeys(models):
            try:
                summary = await _summarize_with(request, text, model, step_id)
                break
            except ActivityError as error:
                reraise_if_cancelled(error)
                reason = failure_reason(error)
                if failure_type(error) == LLMError.AUTHENTICATION:
                    tracker.fail(step_id, workflow.now(), reason=reason)
                    # A bad key fails every story the same way: stop now and say why.
                    raise ApplicationError(
                        reason, type=LLMError.AUTHENTICATION, non_retryable=True
                    ) from error
                if failure_type(error) != LLMError.REJECTED or model == models[-1]:
                    tracker.fail(step_id, workflow.now(), reason=reason)
                    return None
                fell_back_because = f"{model} refused: {reason}"
    detail = f"summarised by {summary.model} {text.source.phrase}"
    if fell_back_because:
        detail += f" (fallback model; {fell_back_because})"
    tracker.finish(
        step_id,
        workflow.now(),
        attempt=summary.attempt,
        tokens=summary.usage.total,
        detail=detail,
        usage=summary.usage,
        text=summary.summary,
    )
    return text.summarized(summary)


async def _summarize_with(
    request: BriefingRequest, text: StoryText, model: str, step_id: str
) -> StorySummary:
    return await workflow.execute_activity_method(
        SummarizeActivities.summarize_story,
        text.summarize_input(request.topic, model),
        activity_id=step_id,
        summary=f"Summarise: {text.story.title}",
        start_to_close_timeout=options.LLM_START_TO_CLOSE,
        heartbeat_timeout=options.LLM_HEARTBEAT,
        retry_policy=options.LLM_RETRY,
        cancellation_type=options.CANCELLATION,
    )
