"""The editor's review: a Temporal update whose validator refuses bad choices."""

import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from testing.temporal_dev import free_port, temporal_dev_server
from tests.workflows.briefings import briefing_request, progress_when
from worker.main import build_workers
from worker.search_attributes import ensure_search_attributes
from workflows.briefing import BriefingWorkflow
from workflows.models import BriefingProgress, StepKind, StepState
from workflows.review import ReviewDecision

TEST_SERVER = Path(sys.executable).parent / "temporal-test-server"
# The SDK's default is 5 s: too short on a loaded 2-core CI machine (it failed there once).
TEST_SERVER_STARTUP = timedelta(seconds=60)


async def start_with_review(client, settings, **changes):
    request = briefing_request(settings, max_stories=3, review=True, **changes)
    return await client.start_workflow(
        BriefingWorkflow.run,
        request,
        id=f"briefing-test-{uuid.uuid4().hex[:8]}",
        task_queue=settings.task_queue,
    )


async def waiting_for_review(handle) -> BriefingProgress:
    return await progress_when(handle, lambda progress: progress.review is not None)


async def test_the_briefing_waits_for_the_editors_choice_and_follows_it(
    temporal_client, settings, worker
):
    handle = await start_with_review(temporal_client, settings)
    progress = await waiting_for_review(handle)
    review = progress.review
    assert len(review.candidates) > review.max_stories == 3
    assert [s.state for s in progress.steps if s.kind == StepKind.REVIEW] == [StepState.RUNNING]
    chosen = [review.candidates[4].id, review.candidates[1].id]
    outcome = await handle.execute_update(
        BriefingWorkflow.submit_review,
        ReviewDecision(story_ids=chosen, note="focus on the economic impact"),
    )
    assert outcome.by_editor and outcome.story_ids == chosen
    result = await handle.result()
    titles = [s.title for section in result.briefing.sections for s in section.stories]
    by_id = {candidate.id: candidate.title for candidate in review.candidates}
    assert sorted(titles) == sorted(by_id[story_id] for story_id in chosen)
    assert "Editor's note: focus on the economic impact" in result.briefing.markdown


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (lambda ids: [], "choose at least one story"),
        (lambda ids: ["no-such-story"], "unknown story"),
        (lambda ids: ids[:4], "at most 3 stories"),
        (lambda ids: [ids[0], ids[0]], "chosen twice"),
    ],
    ids=["empty", "unknown", "too-many", "twice"],
)
async def test_a_bad_choice_is_refused_by_the_validator_and_leaves_no_trace(
    temporal_client, settings, worker, choice, message
):
    handle = await start_with_review(temporal_client, settings)
    ids = [candidate.id for candidate in (await waiting_for_review(handle)).review.candidates]
    before = len((await handle.fetch_history()).events)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(
            BriefingWorkflow.submit_review, ReviewDecision(story_ids=choice(ids))
        )
    assert message in str(refused.value.cause)
    assert len((await handle.fetch_history()).events) == before
    await handle.execute_update(BriefingWorkflow.submit_review, ReviewDecision(story_ids=ids[:1]))
    await handle.result()


async def test_nobody_answering_means_the_top_stories_after_the_reminder_time(settings):
    async with await WorkflowEnvironment.start_time_skipping(
        data_converter=pydantic_data_converter,
        test_server_existing_path=str(TEST_SERVER),
        test_server_startup_timeout=TEST_SERVER_STARTUP,
    ) as env:
        await ensure_search_attributes(env.client)  # as the worker does when it starts
        async with build_workers(env.client, settings):
            request = briefing_request(
                settings, max_stories=2, review=True, review_timeout_seconds=6 * 3600
            )
            result = await env.client.execute_workflow(
                BriefingWorkflow.run,
                request,
                id=f"briefing-test-{uuid.uuid4().hex[:8]}",
                task_queue=settings.task_queue,
            )
    review_step = next(s for s in result.progress.steps if s.kind == StepKind.REVIEW)
    assert "nobody answered in 6 hours" in review_step.detail
    assert result.progress.review_outcome.by_editor is False
    suggested = result.progress.review.suggested
    assert result.progress.review_outcome.story_ids == suggested


@pytest.mark.stack  # a Temporal server of its own, stopped and started again
async def test_the_wait_survives_a_worker_restart_and_a_temporal_restart(settings, tmp_path):
    db_file = tmp_path / "temporal.sqlite"
    port = free_port()
    with temporal_dev_server(port=port, db_file=db_file) as address:
        client = await Client.connect(address, data_converter=pydantic_data_converter)
        local = settings.model_copy(update={"temporal_address": address})
        async with build_workers(client, local):
            handle = await start_with_review(client, local)
            candidates = (await waiting_for_review(handle)).review.candidates
        # The worker is gone, then Temporal itself: only the SQLite file remains.
    with temporal_dev_server(port=port, db_file=db_file) as address:
        client = await Client.connect(address, data_converter=pydantic_data_converter)
        async with build_workers(client, settings.model_copy(update={"temporal_address": address})):
            handle = client.get_workflow_handle_for(BriefingWorkflow.run, handle.id)
            await handle.execute_update(
                BriefingWorkflow.submit_review, ReviewDecision(story_ids=[candidates[0].id])
            )
            result = await handle.result()
    assert [s.title for sec in result.briefing.sections for s in sec.stories] == [
        candidates[0].title
    ]
