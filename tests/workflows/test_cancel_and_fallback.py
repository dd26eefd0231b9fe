"""Cancel stops the LLM calls in flight; a refused model falls back to the second one."""

import uuid

import httpx
import pytest
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import CancelledError

from demo.offline_llm.server import create_app as create_offline_llm
from testing.polling import wait_for_async
from testing.servers import serve_in_thread
from tests.workflows.briefings import briefing_request
from worker.main import build_workers
from workflows.briefing import BriefingWorkflow
from workflows.models import BriefingStatus, StepKind, StepState


async def test_cancel_stops_the_summaries_in_flight_and_keeps_what_was_done(
    temporal_client, settings, worker, llm_admin
):
    llm_admin.post("/faults", json={"mode": "hang", "seconds": 60})
    handle = await temporal_client.start_workflow(
        BriefingWorkflow.run,
        briefing_request(settings, max_stories=3),
        id=f"briefing-test-{uuid.uuid4().hex[:8]}",
        task_queue=settings.task_queue,
    )
    await wait_for_async(
        lambda: [e for e in llm_admin.get("/requests").json() if e["status"] is None],
        30,
        "an LLM call in flight",
        interval=0.2,
    )
    await handle.cancel()
    with pytest.raises(WorkflowFailureError) as failure:
        await handle.result()
    assert isinstance(failure.value.cause, CancelledError)
    progress = await handle.query(BriefingWorkflow.progress)
    assert progress.status == BriefingStatus.CANCELLED
    summaries = [s for s in progress.steps if s.kind == StepKind.SUMMARIZE]
    assert summaries and {s.state for s in summaries} == {StepState.CANCELLED}
    assert all(s.state == StepState.DONE for s in progress.steps if s.kind == StepKind.FETCH)
    reads = [s for s in progress.steps if s.kind == StepKind.READ]
    assert reads and all(s.state == StepState.DONE for s in reads)
    # Every summary in flight was asked to stop; activities learn it at their next heartbeat.
    history = await handle.fetch_history()
    kinds = [event.WhichOneof("attributes") for event in history.events]
    scheduled_summaries = [
        e
        for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
        and e.activity_task_scheduled_event_attributes.activity_type.name == "summarize_story"
    ]
    assert kinds.count("activity_task_cancel_requested_event_attributes") == len(
        scheduled_summaries
    )
    # What completed is kept: every feed and every page read, none of the summaries.
    completed = len(settings.default_sources) + len(reads)
    assert kinds.count("activity_task_completed_event_attributes") == completed
    assert "activity_task_canceled_event_attributes" in kinds


async def test_a_model_the_llm_refuses_falls_back_to_the_second_model(temporal_client, settings):
    offline_only = create_offline_llm(models=frozenset({"offline-extractive"}))
    with serve_in_thread(offline_only) as url:
        local = settings.model_copy(update={"openai_base_url": f"{url}/v1"})
        request = briefing_request(
            local, max_stories=2, model="gpt-unavailable", fallback_model="offline-extractive"
        )
        async with build_workers(temporal_client, local):
            result = await temporal_client.execute_workflow(
                BriefingWorkflow.run,
                request,
                id=f"briefing-test-{uuid.uuid4().hex[:8]}",
                task_queue=local.task_queue,
            )
        log = httpx.get(f"{url}/_admin/requests").json()
    stories = [story for section in result.briefing.sections for story in section.stories]
    assert stories and {story.model for story in stories} == {"offline-extractive"}
    summaries = [s for s in result.progress.steps if s.kind == StepKind.SUMMARIZE]
    assert all("fallback model" in s.detail and "gpt-unavailable" in s.detail for s in summaries)
    assert {entry["status"] for entry in log} == {404, 200}
