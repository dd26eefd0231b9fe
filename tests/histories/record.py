"""Records the representative histories that the replay test keeps running workflows safe with.

Run after a deliberate, versioned change to BriefingWorkflow or ComparisonWorkflow (see
docs/workflow-versioning.md); `--comparisons` records only the comparisons' histories:
    .venv/bin/python -m tests.histories.record [--comparisons]
"""

import asyncio
import sys
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from core.settings import OFFLINE_MODEL, Settings
from demo.newsroom.server import create_app as create_newsroom
from demo.offline_llm.server import create_app as create_offline_llm
from plain_agent.server import build_agent
from plain_agent.server import create_app as create_plain_agent
from testing.servers import serve_in_thread
from testing.temporal_dev import free_port, temporal_dev_server
from tests.conftest import feed_urls
from tests.workflows.briefings import progress_when
from worker.main import build_workers
from workflows.briefing import BriefingWorkflow
from workflows.comparison import ComparisonWorkflow
from workflows.comparison_models import AfterCrash, ComparisonRequest
from workflows.models import BriefingRequest
from workflows.review import ReviewDecision

HERE = Path(__file__).parent


def science(settings: Settings) -> BriefingRequest:
    """The request every recorded history runs, unless it says otherwise."""
    return BriefingRequest(
        topic="science",
        sources=settings.default_sources,
        max_stories=3,
        model=OFFLINE_MODEL,
        feed_task_queue=settings.feed_task_queue,
    )


async def record_all(client: Client, settings: Settings, llm_url: str) -> None:
    request = science(settings)
    await record(client, settings, "normal", request)
    # More sources than a briefing fetches at once (FETCH_CONCURRENCY), one of them twice.
    sources = [*settings.default_sources, settings.default_sources[0] + "?copy=1"]
    many = request.model_copy(update={"sources": [*sources, sources[0]]})
    await record(client, settings, "eight-sources", many)
    httpx.post(f"{llm_url}/_admin/faults", json={"mode": "error", "count": 2})
    await record(client, settings, "with-retries", request)
    await record(client, settings, "with-review", request.model_copy(update={"review": True}))
    httpx.post(f"{llm_url}/_admin/faults", json={"mode": "hang", "seconds": 30})
    await record(client, settings, "cancelled", request, cancel=True)
    httpx.delete(f"{llm_url}/_admin/faults")


async def record_comparisons(
    client: Client, settings: Settings, llm_url: str, plain_server: Callable
) -> None:
    """Each with the plain agent's process replaced mid-run: lost, then rerun from scratch."""
    briefing = science(settings)
    for after_crash in AfterCrash:
        request = ComparisonRequest(
            briefing=briefing,
            durable_id=f"briefing-history-{uuid.uuid4().hex[:6]}",
            after_crash=after_crash,
            llm_log=True,
        )
        httpx.post(f"{llm_url}/_admin/faults", json={"mode": "slow", "tokens_per_second": 30})
        with plain_server() as plain_url:
            handle = await client.start_workflow(
                ComparisonWorkflow.run,
                request,
                id=f"comparison-history-{uuid.uuid4().hex[:6]}",
                task_queue=settings.task_queue,
            )
            run = f"{plain_url}/runs/{handle.id}-plain-1"
            while httpx.get(run).status_code != 200 or not httpx.get(run).json()["usage"]:
                await asyncio.sleep(0.1)
        httpx.delete(f"{llm_url}/_admin/faults")
        with plain_server():
            await handle.result()
        history = await handle.fetch_history()
        (HERE / f"comparison-{after_crash}.json").write_text(history.to_json())


async def record(client, settings, name: str, request, *, cancel: bool = False) -> None:
    workflow_id = f"briefing-history-{name}-{uuid.uuid4().hex[:6]}"
    handle = await client.start_workflow(
        BriefingWorkflow.run, request, id=workflow_id, task_queue=settings.task_queue
    )
    if request.review:
        review = (await progress_when(handle, lambda p: p.review is not None)).review
        assert review is not None  # what progress_when waited for
        ids = [candidate.id for candidate in review.candidates[:2]]
        await handle.execute_update(BriefingWorkflow.submit_review, ReviewDecision(story_ids=ids))
    if cancel:
        await progress_when(handle, lambda p: any(s.kind == "summarize" for s in p.steps))
        await asyncio.sleep(1)
        await handle.cancel()
    try:
        await handle.result()
    except Exception:  # noqa: BLE001 - a cancelled run ends in an error, as it should
        pass
    history = await handle.fetch_history()
    (HERE / f"{name}.json").write_text(history.to_json())


def main() -> None:
    comparisons_only = "--comparisons" in sys.argv[1:]
    with (
        temporal_dev_server() as address,
        serve_in_thread(create_newsroom()) as newsroom_url,
        serve_in_thread(create_offline_llm()) as llm_url,
    ):
        settings = Settings(
            temporal_address=address,
            task_queue="histories",
            openai_base_url=f"{llm_url}/v1",
            model=OFFLINE_MODEL,
            feeds=feed_urls(newsroom_url),
            worker_versioning=False,  # no deployment to promote a build in
            _env_file=None,
        )
        port = free_port()

        def plain_server() -> AbstractContextManager[str]:
            agent = create_plain_agent(build_agent(settings), allowed_hosts=settings.host_names)
            return serve_in_thread(agent, port=port)

        async def run() -> None:
            client = await Client.connect(address, data_converter=pydantic_data_converter)
            recording = settings.model_copy(update={"plain_url": f"http://127.0.0.1:{port}"})
            async with build_workers(client, recording):
                if not comparisons_only:
                    await record_all(client, recording, llm_url)
                await record_comparisons(client, recording, llm_url, plain_server)

        asyncio.run(run())


if __name__ == "__main__":
    main()
