"""BriefingWorkflow: fetch feeds, select stories, (let an editor pick,) read, summarise, compose."""

import asyncio

from temporalio import workflow
from temporalio.contrib.workflow_streams import WorkflowStream
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.models import ATTEMPT_REPORT_SIGNAL, AttemptReport, FeedEntry, Story
    from workflows.compose_step import compose
    from workflows.details import current_details
    from workflows.fetch_step import fetch_all
    from workflows.metrics import count_ended, count_started
    from workflows.models import (
        BriefingProgress,
        BriefingRequest,
        BriefingResult,
        BriefingStatus,
        ProgressEvent,
        StepKind,
    )
    from workflows.progress import ProgressTracker
    from workflows.read_step import READ_ARTICLES_PATCH, read_all, read_in_workflow
    from workflows.reading import StoryText, feed_text, spares_for
    from workflows.review import ReviewDecision, ReviewOutcome
    from workflows.review_step import EditorReview
    from workflows.search_attributes import SEARCH_ATTRIBUTES_PATCH, Indexed
    from workflows.selection import select_stories, selection_detail
    from workflows.summarize_step import summarize_all

PROGRESS_TOPIC = "progress"
# With a review, the editor is offered more stories than will be kept.
REVIEW_CANDIDATES_FACTOR = 2
REVIEW_CANDIDATES_MIN = 10


@workflow.defn
class BriefingWorkflow:
    def __init__(self) -> None:
        # Offset-addressed progress events: the web resumes any viewer exactly where it was.
        self._stream = WorkflowStream()
        self._tracker: ProgressTracker | None = None
        self._review = EditorReview()
        self._indexed = Indexed()

    @workflow.signal(name=ATTEMPT_REPORT_SIGNAL)
    def report_attempt(self, report: AttemptReport) -> None:
        if self._tracker is not None:
            self._tracker.retrying(
                report.activity_id, attempt=report.attempt, last_error=report.last_error
            )

    @workflow.update
    def submit_review(self, decision: ReviewDecision) -> ReviewOutcome:
        return self._review.accept(decision)

    @submit_review.validator
    def _validate_review(self, decision: ReviewDecision) -> None:
        self._review.validate(decision)

    @workflow.query
    def progress(self) -> BriefingProgress:
        if self._tracker is None:
            raise ApplicationError("the briefing has not started yet")
        return self._tracker.progress

    @workflow.run
    async def run(self, request: BriefingRequest) -> BriefingResult:
        publish_on_stream = self._stream.topic(PROGRESS_TOPIC, type=ProgressEvent).publish
        indexing = workflow.patched(SEARCH_ATTRIBUTES_PATCH)

        def publish(event: ProgressEvent) -> None:
            publish_on_stream(event)
            if self._tracker is not None:  # set before anything it tracks can change
                self._show(self._tracker.progress, indexing)

        tracker = self._tracker = ProgressTracker(request.topic, workflow.now(), publish)
        count_started()
        self._show(tracker.progress, indexing)
        workflow.logger.info(
            "briefing started: %r from %d sources", request.topic, len(request.sources)
        )
        try:
            entries = await fetch_all(tracker, request)
            reading = workflow.patched(READ_ARTICLES_PATCH)
            # The editor picks from many already; without one, a few spares stand in for
            # stories whose pages give no article.
            spares = spares_for(request.max_stories) if reading and not request.review else 0
            stories, note = self._select(tracker, request, entries, spares), None
            if request.review:
                stories, note = await self._review.run(tracker, request, stories)
            texts = await self._texts(tracker, request, stories, reading)
            summarized = await summarize_all(tracker, request, texts)
            briefing = await compose(tracker, request, summarized, note)
        except ApplicationError as error:
            await self._end(
                tracker, BriefingStatus.FAILED, error=str(error), failure_type=error.type
            )
            raise
        except asyncio.CancelledError:
            tracker.cancel_open_steps(workflow.now())
            await self._end(tracker, BriefingStatus.CANCELLED, error="cancelled on request")
            raise
        await self._end(tracker, BriefingStatus.COMPLETED)
        return BriefingResult(briefing=briefing, progress=tracker.progress)

    def _show(self, progress: BriefingProgress, indexing: bool) -> None:
        """What the Temporal UI shows of the run: its current details and search attributes."""
        workflow.set_current_details(current_details(progress))
        if not indexing:
            return
        now = Indexed.of(progress)
        updates = self._indexed.changes_to(now)
        if updates:
            workflow.upsert_search_attributes(updates)
            self._indexed = now

    async def _end(
        self,
        tracker: ProgressTracker,
        status: BriefingStatus,
        error: str | None = None,
        failure_type: str | None = None,
    ) -> None:
        tracker.end(status, workflow.now(), error=error)
        count_ended(status, failure_type)
        workflow.logger.info("briefing %s%s", status.value, f": {error}" if error else "")
        # Hand waiting subscribers their last batch before the run closes.
        self._stream.detach_pollers()
        await workflow.wait_condition(workflow.all_handlers_finished)

    async def _texts(
        self,
        tracker: ProgressTracker,
        request: BriefingRequest,
        stories: list[Story],
        reading: bool,
    ) -> list[StoryText]:
        if not reading:
            return [feed_text(story) for story in stories]
        read = read_in_workflow(request)
        return await read_all(read, workflow.now, tracker, stories, request.max_stories)

    def _select(
        self,
        tracker: ProgressTracker,
        request: BriefingRequest,
        entries: list[FeedEntry],
        spares: int,
    ) -> list[Story]:
        tracker.add("select", StepKind.SELECT, "Select stories")
        tracker.start("select", workflow.now())
        wanted = request.max_stories + spares
        if request.review:
            wanted = max(wanted * REVIEW_CANDIDATES_FACTOR, REVIEW_CANDIDATES_MIN)
        selection = select_stories(
            entries, topic=request.topic, now=workflow.now(), max_stories=wanted
        )
        if not selection.stories:
            tracker.fail("select", workflow.now(), reason="the sources had no stories")
            raise ApplicationError("the sources had no stories", type="NoStories")
        # With an editor, every story selected is offered as a candidate.
        shown = request.max_stories if spares else len(selection.stories)
        detail = selection_detail(selection, request.topic, shown)
        tracker.finish("select", workflow.now(), detail=detail)
        return selection.stories
