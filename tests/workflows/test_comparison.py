"""The comparison: one briefing durable and plain, the plain side lost (or rerun) on a kill."""

import uuid

import httpx
import pytest
from temporalio.client import Client

from testing.polling import wait_for_async
from tests.conftest import PlainServer
from tests.workflows.briefings import briefing_request, workflow_task_timeout
from worker.main import build_workers
from workflows.comparison import ComparisonWorkflow
from workflows.comparison_models import AfterCrash, ComparisonRequest, ComparisonState
from workflows.models import BriefingStatus
from workflows.task_timeout import WORKFLOW_TASK_TIMEOUT

pytestmark = pytest.mark.usefixtures("llm_admin")


def comparison_request(settings, after_crash=AfterCrash.LOST) -> ComparisonRequest:
    return ComparisonRequest(
        briefing=briefing_request(settings, max_stories=3),
        durable_id=f"briefing-test-{uuid.uuid4().hex[:8]}",
        after_crash=after_crash,
        llm_log=True,
    )


async def start(client: Client, settings, request: ComparisonRequest):
    return await client.start_workflow(
        ComparisonWorkflow.run,
        request,
        id=f"comparison-test-{uuid.uuid4().hex[:8]}",
        task_queue=settings.task_queue,
    )


async def test_both_sides_finish_and_the_llm_log_bills_each_its_own(
    temporal_client, settings, plain_url
):
    settings = settings.model_copy(update={"plain_url": plain_url})
    async with build_workers(temporal_client, settings):
        handle = await start(temporal_client, settings, comparison_request(settings))
        state: ComparisonState = await handle.result()

    assert state.durable_status == BriefingStatus.COMPLETED
    durable = await temporal_client.get_workflow_handle(state.durable_id).describe()
    assert workflow_task_timeout(durable) == WORKFLOW_TASK_TIMEOUT
    # The briefing's page and the recent list read its topic from the memo, as for any briefing.
    assert await durable.memo_value("topic") == "science"
    [plain] = state.plain_runs
    assert plain.outcome is not None and plain.outcome.state == "completed"
    assert plain.outcome.last_seen is not None and plain.outcome.last_seen.briefing is not None
    assert state.llm_calls is not None and state.llm_calls.available
    runs = [call.run for call in state.llm_calls.calls]
    # Three summaries and a lead on each side's bill, nothing on anybody else's.
    assert runs.count(f"durable:{state.durable_id}") == 4
    assert runs.count(f"plain:{plain.run_id}") == 4


@pytest.mark.parametrize("after_crash", [AfterCrash.LOST, AfterCrash.RERUN])
async def test_a_plain_process_restarted_mid_run_loses_it_or_reruns_it(
    temporal_client, settings, plain_server: PlainServer, plain_port, llm_admin, after_crash
):
    # Slow enough that the restart lands while summaries are being written.
    llm_admin.post("/faults", json={"mode": "slow", "tokens_per_second": 30})
    settings = settings.model_copy(update={"plain_url": f"http://127.0.0.1:{plain_port}"})
    async with build_workers(temporal_client, settings):
        with plain_server() as url:
            handle = await start(
                temporal_client, settings, comparison_request(settings, after_crash)
            )
            first = f"{handle.id}-plain-1"

            async def summarised() -> bool:
                response = httpx.get(f"{url}/runs/{first}")
                return response.status_code == 200 and response.json()["summaries_done"] >= 1

            await wait_for_async(summarised, 60, "a first plain summary")
        with plain_server():
            llm_admin.delete("/faults")
            state: ComparisonState = await handle.result()

    assert state.durable_status == BriefingStatus.COMPLETED
    outcome = state.plain_runs[0].outcome
    assert outcome is not None and outcome.state == "lost"
    # What the watcher last saw, half a second or less before the kill: the run was under way.
    assert outcome.last_seen is not None and outcome.last_seen.state == "running"
    assert state.llm_calls is not None
    paid_for = [call for call in state.llm_calls.calls if call.run == f"plain:{first}"]
    assert any(call.status == 200 and call.tokens for call in paid_for)
    if after_crash == AfterCrash.LOST:
        assert len(state.plain_runs) == 1
    else:
        rerun = state.plain_runs[1].outcome
        assert rerun is not None and rerun.state == "completed"
