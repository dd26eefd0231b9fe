"""The workflow's progress stream: dense offsets, every change, retries as they happen."""

import uuid

from temporalio.contrib.workflow_streams import WorkflowStreamClient

from tests.workflows.briefings import briefing_request
from workflows.briefing import PROGRESS_TOPIC, BriefingWorkflow
from workflows.models import BriefingStatus, ProgressEvent, StepKind, StepState


async def run_and_read_stream(client, settings, request) -> list:
    workflow_id = f"briefing-test-{uuid.uuid4().hex[:8]}"
    handle = await client.start_workflow(
        BriefingWorkflow.run, request, id=workflow_id, task_queue=settings.task_queue
    )
    stream = WorkflowStreamClient.create(client, workflow_id)
    items = [item async for item in stream.subscribe(PROGRESS_TOPIC, result_type=ProgressEvent)]
    await handle.result()
    return items


async def test_every_change_is_one_event_at_a_dense_offset_ending_with_the_outcome(
    temporal_client, settings, worker
):
    items = await run_and_read_stream(
        temporal_client, settings, briefing_request(settings, max_stories=2)
    )
    assert [item.offset for item in items] == list(range(len(items)))
    assert [item.data.version for item in items] == [item.offset + 1 for item in items]
    last = items[-1].data
    assert last.step is None and last.status == BriefingStatus.COMPLETED
    assert last.usage.completion_tokens > 0
    done = {
        item.data.step.id for item in items if item.data.step and item.data.step.state == "done"
    }
    assert "compose" in done and "select" in done


async def test_a_retry_shows_on_the_stream_with_its_attempt_and_error_before_it_succeeds(
    temporal_client, settings, worker, llm_admin
):
    llm_admin.post("/faults", json={"mode": "error", "count": 1})
    items = await run_and_read_stream(
        temporal_client, settings, briefing_request(settings, max_stories=1)
    )
    steps = [item.data.step for item in items if item.data.step]
    summary_states = [(s.state, s.attempt) for s in steps if s.kind == StepKind.SUMMARIZE]
    retrying = [s for s in steps if s.kind == StepKind.SUMMARIZE and s.state == StepState.RETRYING]
    assert (StepState.RETRYING, 2) in summary_states
    assert summary_states[-1] == (StepState.DONE, 2)
    assert "500" in retrying[0].last_error
