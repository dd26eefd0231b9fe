"""The editor's review, if asked for: the workflow waits, durably, for a person's choice."""

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from activities.models import Story
from workflows.models import BriefingRequest, StepKind
from workflows.progress import ProgressTracker
from workflows.review import (
    InvalidReview,
    ReviewDecision,
    ReviewOutcome,
    ReviewRequest,
    candidates_of,
    check_decision,
)

REVIEW_STEP = "review"
REVIEW_CLOSED = "ReviewClosed"
INVALID_REVIEW = "InvalidReview"


class EditorReview:
    def __init__(self) -> None:
        self.request: ReviewRequest | None = None
        self._decision: ReviewDecision | None = None

    def validate(self, decision: ReviewDecision) -> None:
        """Runs in the update's validator: a refused choice leaves no trace in the history."""
        if self.request is None or self._decision is not None:
            raise ApplicationError("this briefing is not waiting for a review", type=REVIEW_CLOSED)
        try:
            check_decision(decision, self.request)
        except InvalidReview as error:
            raise ApplicationError(str(error), type=INVALID_REVIEW) from error

    def accept(self, decision: ReviewDecision) -> ReviewOutcome:
        self._decision = decision
        return ReviewOutcome(story_ids=decision.story_ids, note=decision.note, by_editor=True)

    async def run(
        self, tracker: ProgressTracker, request: BriefingRequest, candidates: list[Story]
    ) -> tuple[list[Story], str | None]:
        tracker.add(REVIEW_STEP, StepKind.REVIEW, "Editor's review")
        tracker.start(REVIEW_STEP, workflow.now())
        wait = timedelta(seconds=request.review_timeout_seconds)
        suggested = [story.id for story in candidates[: request.max_stories]]
        self.request = ReviewRequest(
            candidates=candidates_of(candidates),
            max_stories=request.max_stories,
            suggested=suggested,
            deadline=workflow.now() + wait,
        )
        tracker.open_review(self.request)
        try:
            await workflow.wait_condition(lambda: self._decision is not None, timeout=wait)
            # The condition held: the update handler has stored the editor's choice.
            assert self._decision is not None
            outcome = self.accept(self._decision)
            detail = f"the editor chose {len(outcome.story_ids)} stories"
        except TimeoutError:
            outcome = ReviewOutcome(story_ids=suggested, by_editor=False)
            detail = (
                f"nobody answered in {_in_words(wait)}: went ahead with the top "
                f"{len(suggested)} stories"
            )
        self.request = None
        tracker.close_review(outcome)
        tracker.finish(REVIEW_STEP, workflow.now(), detail=detail)
        by_id = {story.id: story for story in candidates}
        return [by_id[story_id] for story_id in outcome.story_ids], outcome.note


def _in_words(wait: timedelta) -> str:
    minutes = int(wait.total_seconds() // 60)
    if minutes >= 120:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes" if minutes else f"{int(wait.total_seconds())} seconds"
