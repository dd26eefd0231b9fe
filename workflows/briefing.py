"""BriefingWorkflow: fetch feeds, select stories, summarise each, compose the briefing."""

import asyncio

from temporalio import workflow
from temporalio.contrib.workflow_streams import WorkflowStream
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.attempt_reports import ATTEMPT_REPORT_SIGNAL
    from activities.compose import ComposeActivities
    from activities.errors import LLMError
    from activities.fetch import fetch_feed
    from activities.models import (
        AttemptReport,
        ComposeInput,
        FeedEntry,
        FetchFeedInput,
        Story,
        SummarizedStory,
        SummarizeInput,
    )
    from activities.summarize import SummarizeActivities
    from workflows import activity_options as options
    from workflows.models import (
        BriefingProgress,
        BriefingRequest,
        BriefingResult,
        BriefingStatus,
        ProgressEvent,
        SourceFailure,
        StepKind,
    )
    from workflows.progress import ProgressTracker
    from workflows.selection import select_stories

PROGRESS_TOPIC = "progress"


def failure_reason(error: BaseException) -> str:
    """The innermost message: what actually went wrong, not 'activity task failed'."""
    while isinstance(error, ActivityError) and error.cause is not None:
        error = error.cause
    return str(error) or type(error).__name__


def failure_type(error: BaseException) -> str | None:
    cause = error.cause if isinstance(error, ActivityError) else error
    return cause.type if isinstance(cause, ApplicationError) else None


@workflow.defn
class BriefingWorkflow:
    def __init__(self) -> None:
        # Offset-addressed progress events: the web resumes any viewer exactly where it was.
        self._stream = WorkflowStream()
        self._tracker: ProgressTracker | None = None

    @workflow.signal(name=ATTEMPT_REPORT_SIGNAL)
    def report_attempt(self, report: AttemptReport) -> None:
        if self._tracker is not None:
            self._tracker.retrying(
                report.activity_id, attempt=report.attempt, last_error=report.last_error
            )

    @workflow.query
    def progress(self) -> BriefingProgress:
        if self._tracker is None:
            raise ApplicationError("the briefing has not started yet")
        return self._tracker.progress

    @workflow.run
    async def run(self, request: BriefingRequest) -> BriefingResult:
        publish = self._stream.topic(PROGRESS_TOPIC, type=ProgressEvent).publish
        self._tracker = ProgressTracker(request.topic, workflow.now(), publish)
        try:
            entries = await self._fetch_all(request.sources)
            stories = self._select(request, entries)
            summarized = await self._summarize_all(request, stories)
            briefing = await self._compose(request, summarized)
        except ApplicationError as error:
            await self._end(BriefingStatus.FAILED, error=str(error))
            raise
        await self._end(BriefingStatus.COMPLETED)
        return BriefingResult(briefing=briefing, progress=self._tracker.progress)

    async def _end(self, status: BriefingStatus, error: str | None = None) -> None:
        self._tracker.end(status, workflow.now(), error=error)
        # Hand waiting subscribers their last batch before the run closes.
        self._stream.detach_pollers()
        await workflow.wait_condition(workflow.all_handlers_finished)

    async def _fetch_all(self, sources: list[str]) -> list[FeedEntry]:
        for index, url in enumerate(sources):
            self._tracker.add(f"fetch-{index}", StepKind.FETCH, url)
        batches = await asyncio.gather(
            *(self._fetch_one(f"fetch-{index}", url) for index, url in enumerate(sources))
        )
        failures = self._tracker.progress.failed_sources
        if len(failures) == len(sources):
            reasons = "; ".join(f"{failure.url}: {failure.reason}" for failure in failures)
            raise ApplicationError(
                f"every source failed: {reasons}", type="AllSourcesFailed", non_retryable=True
            )
        return [entry for batch in batches for entry in batch]

    async def _fetch_one(self, step_id: str, url: str) -> list[FeedEntry]:
        self._tracker.start(step_id, workflow.now())
        try:
            result = await workflow.execute_activity(
                fetch_feed,
                FetchFeedInput(url=url),
                activity_id=step_id,
                start_to_close_timeout=options.FETCH_START_TO_CLOSE,
                heartbeat_timeout=options.FETCH_HEARTBEAT,
                retry_policy=options.FETCH_RETRY,
            )
        except ActivityError as error:
            reason = failure_reason(error)
            self._tracker.fail(step_id, workflow.now(), reason=reason)
            self._tracker.progress.failed_sources.append(SourceFailure(url=url, reason=reason))
            return []
        detail = f"{result.source_name}: {len(result.entries)} stories"
        self._tracker.finish(step_id, workflow.now(), attempt=result.attempt, detail=detail)
        return result.entries

    def _select(self, request: BriefingRequest, entries: list[FeedEntry]) -> list[Story]:
        self._tracker.add("select", StepKind.SELECT, "Select stories")
        self._tracker.start("select", workflow.now())
        selection = select_stories(
            entries, topic=request.topic, now=workflow.now(), max_stories=request.max_stories
        )
        if not selection.stories:
            self._tracker.fail("select", workflow.now(), reason="the sources had no stories")
            raise ApplicationError("the sources had no stories", type="NoStories")
        detail = f"{len(selection.stories)} of {selection.candidates} stories"
        if not selection.topic_matched:
            detail += f"; none mentioned “{request.topic}”, so these are the latest"
        self._tracker.finish("select", workflow.now(), detail=detail)
        return selection.stories

    async def _summarize_all(
        self, request: BriefingRequest, stories: list[Story]
    ) -> list[SummarizedStory]:
        for story in stories:
            self._tracker.add(f"summarize-{story.id}", StepKind.SUMMARIZE, story.title)
        bound = asyncio.Semaphore(options.SUMMARY_CONCURRENCY)
        results = await asyncio.gather(
            *(self._summarize_one(request, story, bound) for story in stories)
        )
        summarized = [result for result in results if result is not None]
        if not summarized:
            failed = [step for step in self._tracker.progress.steps if step.last_error]
            reason = failed[-1].last_error if failed else "no story could be summarised"
            raise ApplicationError(f"no story could be summarised: {reason}", type="NoSummaries")
        return summarized

    async def _summarize_one(
        self, request: BriefingRequest, story: Story, bound: asyncio.Semaphore
    ) -> SummarizedStory | None:
        step_id = f"summarize-{story.id}"
        async with bound:
            self._tracker.start(step_id, workflow.now())
            try:
                summary = await workflow.execute_activity_method(
                    SummarizeActivities.summarize_story,
                    SummarizeInput(topic=request.topic, story=story, model=request.model),
                    activity_id=step_id,
                    start_to_close_timeout=options.LLM_START_TO_CLOSE,
                    heartbeat_timeout=options.LLM_HEARTBEAT,
                    retry_policy=options.LLM_RETRY,
                )
            except ActivityError as error:
                self._tracker.fail(step_id, workflow.now(), reason=failure_reason(error))
                if failure_type(error) == LLMError.AUTHENTICATION:
                    # A bad key fails every story the same way: stop now and say why.
                    raise ApplicationError(
                        failure_reason(error), type=LLMError.AUTHENTICATION, non_retryable=True
                    ) from error
                return None
        self._tracker.finish(
            step_id,
            workflow.now(),
            attempt=summary.attempt,
            tokens=summary.usage.total,
            detail=f"summarised by {summary.model}",
            usage=summary.usage,
        )
        # Compose needs the summary, not the excerpt: keep its input small.
        return SummarizedStory(story=story.model_copy(update={"excerpt": ""}), summary=summary)

    async def _compose(self, request: BriefingRequest, stories: list[SummarizedStory]):
        self._tracker.add("compose", StepKind.COMPOSE, "Compose the briefing")
        self._tracker.start("compose", workflow.now())
        try:
            briefing = await workflow.execute_activity_method(
                ComposeActivities.compose_briefing,
                ComposeInput(
                    topic=request.topic,
                    model=request.model,
                    stories=stories,
                    failed_sources=[f.url for f in self._tracker.progress.failed_sources],
                    generated_at=workflow.now(),
                ),
                activity_id="compose",
                start_to_close_timeout=options.LLM_START_TO_CLOSE,
                heartbeat_timeout=options.LLM_HEARTBEAT,
                retry_policy=options.LLM_RETRY,
            )
        except ActivityError as error:
            self._tracker.fail("compose", workflow.now(), reason=failure_reason(error))
            raise ApplicationError(
                f"composing failed: {failure_reason(error)}", type="ComposeFailed"
            ) from error
        self._tracker.finish(
            "compose",
            workflow.now(),
            attempt=briefing.attempt,
            tokens=briefing.compose_usage.total,
            detail=briefing.title,
            usage=briefing.compose_usage,
        )
        return briefing
