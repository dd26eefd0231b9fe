"""An operator finds briefings by topic and outcome in the Temporal UI: the run's search
attributes, kept current by the workflow, and the visibility queries of docs/operations.md."""

import asyncio
import uuid

import pytest
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.common import TypedSearchAttributes

from testing.polling import wait_for_async
from tests.workflows.briefings import briefing_request, progress_when, start_briefing
from tests.workflows.test_review import start_with_review, waiting_for_review
from workflows.models import BriefingProgress, BriefingStatus, StepKind, StepProgress, StepState
from workflows.search_attributes import (
    BRIEFING_OUTCOME,
    BRIEFING_STORIES,
    BRIEFING_TOKENS,
    BRIEFING_TOPIC,
    Indexed,
)

VISIBILITY_TIMEOUT_SECONDS = 20.0


async def attributes(handle: WorkflowHandle) -> TypedSearchAttributes:
    return (await handle.describe()).typed_search_attributes


async def attributes_when(handle: WorkflowHandle, outcome: str) -> TypedSearchAttributes:
    return await wait_for_async(
        lambda: attributes(handle),
        VISIBILITY_TIMEOUT_SECONDS,
        f"{handle.id}'s BriefingOutcome to be {outcome}",
        until=lambda found: found.get(BRIEFING_OUTCOME) == outcome,
        interval=0.2,
    )


async def ids_found(client: Client, query: str) -> set[str]:
    return {execution.id async for execution in client.list_workflows(query)}


async def test_a_completed_briefing_is_found_by_topic_and_outcome_with_its_stories_and_tokens(
    temporal_client, settings, worker
):
    topic = f"topic-{uuid.uuid4().hex[:6]}"
    handle = await start_briefing(
        temporal_client, settings, briefing_request(settings, topic=topic, max_stories=2)
    )
    result = await handle.result()

    found = await attributes_when(handle, "completed")
    assert found.get(BRIEFING_TOPIC) == topic
    summarized = [s for s in result.progress.steps if s.kind == StepKind.SUMMARIZE]
    assert found.get(BRIEFING_STORIES) == len(summarized) == 2
    tokens = sum(step.tokens for step in result.progress.steps)
    assert found.get(BRIEFING_TOKENS) == tokens > 0
    query = f"BriefingTopic = '{topic}' AND BriefingOutcome = 'completed'"
    ids = await wait_for_async(
        lambda: ids_found(temporal_client, query),
        VISIBILITY_TIMEOUT_SECONDS,
        f"a visibility query to find {handle.id}",
        interval=0.3,
    )
    assert ids == {handle.id}
    assert handle.id in await ids_found(temporal_client, f"BriefingTokens >= {tokens}")
    assert handle.id not in await ids_found(temporal_client, f"BriefingTokens > {tokens}")


async def test_a_briefing_waiting_for_its_editor_says_so_and_then_that_it_was_cancelled(
    temporal_client, settings, worker
):
    handle = await start_with_review(temporal_client, settings)
    await waiting_for_review(handle)
    waiting = await attributes_when(handle, "awaiting_review")
    assert waiting.get(BRIEFING_STORIES) == 0

    await handle.cancel()
    with pytest.raises(WorkflowFailureError):
        await handle.result()
    await attributes_when(handle, "cancelled")


async def test_a_briefing_whose_every_source_fails_is_found_as_failed(
    temporal_client, settings, worker
):
    untrusted = "http://127.0.0.2:8100/feeds/harbour-herald.xml"
    handle = await start_briefing(
        temporal_client, settings, briefing_request(settings, sources=[untrusted])
    )
    with pytest.raises(WorkflowFailureError):
        await handle.result()
    failed = await attributes_when(handle, "failed")
    assert failed.get(BRIEFING_STORIES) == 0 and failed.get(BRIEFING_TOKENS) == 0


async def test_a_running_briefing_has_a_topic_and_no_outcome_yet(
    temporal_client, settings, worker, llm_admin
):
    llm_admin.post("/faults", json={"mode": "hang", "seconds": 30})
    handle = await start_briefing(temporal_client, settings, briefing_request(settings))
    # Its first task has run once it answers a query: the topic is upserted by then.
    await progress_when(handle, lambda progress: progress.status == BriefingStatus.RUNNING)
    running = await attributes(handle)
    assert running.get(BRIEFING_TOPIC) == "science"
    assert running.get(BRIEFING_OUTCOME) is None
    await handle.cancel()
    await asyncio.gather(handle.result(), return_exceptions=True)


def test_only_what_changed_is_upserted_and_an_outcome_gone_is_unset():
    def summary(state: StepState, tokens: int = 0) -> StepProgress:
        return StepProgress(
            id=uuid.uuid4().hex, kind=StepKind.SUMMARIZE, label="x", state=state, tokens=tokens
        )

    progress = BriefingProgress(topic="t", steps=[summary(StepState.RUNNING)])
    before = Indexed.of(progress)
    assert Indexed().changes_to(before) == [
        BRIEFING_TOPIC.value_set("t"),
        BRIEFING_STORIES.value_set(0),
        BRIEFING_TOKENS.value_set(0),
    ]
    assert before.changes_to(before) == []
    progress.steps = [summary(StepState.DONE, tokens=40)]
    assert before.changes_to(Indexed.of(progress)) == [
        BRIEFING_STORIES.value_set(1),
        BRIEFING_TOKENS.value_set(40),
    ]
    assert Indexed(outcome="awaiting_review").changes_to(Indexed()) == [
        BRIEFING_OUTCOME.value_unset()
    ]
