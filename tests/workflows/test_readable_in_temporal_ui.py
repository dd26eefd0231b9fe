"""What an operator reads in the Temporal UI: each activity's summary, the run's current details."""

from temporalio.api.enums.v1 import EventType
from temporalio.api.sdk.v1 import WorkflowMetadata
from temporalio.converter import PayloadConverter

from tests.workflows.briefings import briefing_request, start_briefing
from workflows.details import current_details
from workflows.models import BriefingProgress, BriefingStatus, StepKind, StepProgress, StepState


async def test_every_activity_says_what_it_does_and_the_run_what_it_did(
    temporal_client, settings, worker
):
    handle = await start_briefing(
        temporal_client, settings, briefing_request(settings, max_stories=2)
    )
    result = await handle.result()

    history = await handle.fetch_history()
    converter = PayloadConverter.default
    summaries = [
        converter.from_payload(event.user_metadata.summary, str)
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    ]
    titles = [story.title for s in result.briefing.sections for story in s.stories]
    assert {f"Summarise: {title}" for title in titles} <= set(summaries)
    assert summaries[-1] == "Compose"
    assert sum(summary.startswith("Fetch: http") for summary in summaries) == len(
        settings.default_sources
    )
    assert any(summary.startswith("Read: http") for summary in summaries)
    metadata = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
    assert metadata.current_details == "completed"


def step(kind: StepKind, state: StepState, attempt: int = 1) -> StepProgress:
    return StepProgress(
        id=f"{kind}-{state}-{attempt}", kind=kind, label="x", state=state, attempt=attempt
    )


def test_current_details_count_the_steps_of_the_kind_under_way():
    progress = BriefingProgress(
        topic="t",
        steps=[
            step(StepKind.FETCH, StepState.DONE),
            step(StepKind.SUMMARIZE, StepState.DONE),
            step(StepKind.SUMMARIZE, StepState.RUNNING),
            step(StepKind.SUMMARIZE, StepState.RETRYING, attempt=2),
            step(StepKind.SUMMARIZE, StepState.PENDING),
        ],
    )
    assert current_details(progress) == "summarising: 1 of 4 done, 1 retrying (attempt 2)"
    progress.steps = [
        step(StepKind.SELECT, StepState.DONE),
        step(StepKind.REVIEW, StepState.RUNNING),
    ]
    assert current_details(progress) == "waiting for the editor's review"
    progress.status, progress.error = BriefingStatus.FAILED, "every source failed"
    assert current_details(progress) == "failed: every source failed"
