"""BriefingWorkflow against a real Temporal dev server, newsroom and offline LLM."""

import pytest
from temporalio.client import WorkflowFailureError

from activities.models import PAYLOAD_BUDGET_BYTES
from tests.workflows.briefings import (
    briefing_request,
    progress_when,
    run_briefing,
    start_briefing,
)
from workflows.failures import failure_reason
from workflows.models import StepKind, StepState


async def test_a_briefing_from_the_demo_newsroom_has_a_lead_sections_and_linked_stories(
    temporal_client, settings, worker
):
    result = await run_briefing(temporal_client, settings, briefing_request(settings))
    briefing = result.briefing
    stories = [story for section in briefing.sections for story in section.stories]
    assert briefing.lead
    assert 1 <= len(stories) <= 5
    assert all(story.summary and story.links for story in stories)
    assert briefing.offline_extractive
    assert "offline extractive" in briefing.markdown
    assert briefing.usage.completion_tokens > 0
    assert all(step.state == StepState.DONE for step in result.progress.steps)
    kinds = [step.kind for step in result.progress.steps]
    assert kinds.count(StepKind.FETCH) == len(settings.default_sources)
    assert kinds.count(StepKind.SUMMARIZE) == len(stories)


async def test_a_source_that_keeps_failing_is_recorded_and_the_briefing_goes_on(
    temporal_client, settings, worker, newsroom_admin
):
    newsroom_admin.post("/faults", json={"feed": "lab-notes", "mode": "error"})
    result = await run_briefing(temporal_client, settings, briefing_request(settings))
    [failure] = result.progress.failed_sources
    assert failure.url.endswith("/feeds/lab-notes.xml")
    assert "500" in failure.reason
    failed_step = next(s for s in result.progress.steps if s.state == StepState.FAILED)
    assert failed_step.kind == StepKind.FETCH
    assert result.briefing.sections


async def test_when_every_source_fails_the_briefing_fails_and_says_why(
    temporal_client, settings, worker, newsroom_admin
):
    newsroom_admin.post("/faults", json={"feed": "*", "mode": "malformed"})
    with pytest.raises(WorkflowFailureError) as failure:
        await run_briefing(temporal_client, settings, briefing_request(settings))
    reason = failure_reason(failure.value.cause)
    assert "every source failed" in reason
    assert "not a valid RSS or Atom feed" in reason


async def test_a_rate_limited_summary_is_retried_after_retry_after_and_shows_attempt_2(
    temporal_client, settings, worker, llm_admin
):
    llm_admin.post("/faults", json={"mode": "rate_limit", "count": 1, "seconds": 2})
    request = briefing_request(settings, max_stories=1)
    result = await run_briefing(temporal_client, settings, request)
    summary_step = next(s for s in result.progress.steps if s.kind == StepKind.SUMMARIZE)
    assert summary_step.state == StepState.DONE
    assert summary_step.attempt == 2
    log = llm_admin.get("/requests").json()
    limited = next(entry for entry in log if entry["status"] == 429)
    retried = next(
        e for e in log if e["fingerprint"] == limited["fingerprint"] and e is not limited
    )
    waited = _seconds_between(limited["received_at"], retried["received_at"])
    assert waited >= 2.0


async def test_a_rejected_api_key_fails_the_briefing_at_once_without_retrying(
    temporal_client, settings, unauthorized_llm_worker
):
    llm_url, llm_admin = unauthorized_llm_worker
    with pytest.raises(WorkflowFailureError) as failure:
        await run_briefing(temporal_client, settings, briefing_request(settings, max_stories=3))
    reason = failure_reason(failure.value.cause)
    assert "401" in reason and "OPENAI_API_KEY" in reason
    log = llm_admin.get("/requests").json()
    fingerprints = [entry["fingerprint"] for entry in log]
    assert len(fingerprints) == len(set(fingerprints)), "a 401 must not be retried"


async def test_progress_query_reports_steps_while_the_briefing_runs(
    temporal_client, settings, worker, llm_admin
):
    llm_admin.post("/faults", json={"mode": "hang", "count": 1, "seconds": 3})
    handle = await start_briefing(
        temporal_client, settings, briefing_request(settings, max_stories=2)
    )
    progress = await progress_when(
        handle, lambda p: any(s.kind == StepKind.SUMMARIZE for s in p.steps)
    )
    states = {step.state for step in progress.steps if step.kind == StepKind.SUMMARIZE}
    assert states & {StepState.RUNNING, StepState.DONE}
    assert all(s.state == StepState.DONE for s in progress.steps if s.kind == StepKind.FETCH)
    await handle.result()


async def test_every_activity_payload_stays_within_the_budget(temporal_client, settings, worker):
    request = briefing_request(settings, max_stories=25)
    handle = await start_briefing(temporal_client, settings, request)
    await handle.result()
    history = await handle.fetch_history()
    sizes = []
    for event in history.events:
        for attributes in (
            event.activity_task_scheduled_event_attributes.input,
            event.activity_task_completed_event_attributes.result,
        ):
            sizes += [payload.ByteSize() for payload in attributes.payloads]
    assert sizes and max(sizes) < PAYLOAD_BUDGET_BYTES


def _seconds_between(first: str, second: str) -> float:
    from datetime import datetime

    return (datetime.fromisoformat(second) - datetime.fromisoformat(first)).total_seconds()
