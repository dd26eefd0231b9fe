"""Records the representative histories that the replay test keeps running workflows safe with.

Run after a deliberate, versioned change to BriefingWorkflow (see docs/workflow-versioning.md):
    .venv/bin/python -m tests.histories.record
"""

import asyncio
import uuid
from pathlib import Path

import httpx
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from core.settings import OFFLINE_MODEL, Settings
from demo.newsroom.server import create_app as create_newsroom
from demo.offline_llm.server import create_app as create_offline_llm
from testing.servers import serve_in_thread
from testing.temporal_dev import temporal_dev_server
from tests.conftest import feed_urls
from tests.workflows.briefings import progress_when
from worker.main import build_workers
from workflows.briefing import BriefingWorkflow
from workflows.models import BriefingRequest
from workflows.review import ReviewDecision

HERE = Path(__file__).parent


async def record_all(client: Client, settings: Settings, llm_url: str) -> None:
    request = BriefingRequest(
        topic="science",
        sources=settings.default_sources,
        max_stories=3,
        model=OFFLINE_MODEL,
        feed_task_queue=settings.feed_task_queue,
    )
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
            _env_file=None,
        )

        async def run() -> None:
            client = await Client.connect(address, data_converter=pydantic_data_converter)
            async with build_workers(client, settings):
                await record_all(client, settings, llm_url)

        asyncio.run(run())


if __name__ == "__main__":
    main()
