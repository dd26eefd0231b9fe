"""Briefings started straight on Temporal, as the web would start them, for the workflow tests."""

import uuid

from temporalio.client import Client, WorkflowHandle

from core.settings import Settings
from workflows.briefing import BriefingWorkflow
from workflows.models import BriefingRequest, BriefingResult


def briefing_request(settings: Settings, topic: str = "science", **changes) -> BriefingRequest:
    fields = {
        "topic": topic,
        "sources": settings.default_sources,
        "max_stories": 5,
        "model": settings.llm_model,
        "feed_task_queue": settings.feed_task_queue,
    }
    return BriefingRequest.model_validate(fields | changes)


async def start_briefing(
    client: Client, settings: Settings, request: BriefingRequest
) -> WorkflowHandle[BriefingWorkflow, BriefingResult]:
    return await client.start_workflow(
        BriefingWorkflow.run,
        request,
        id=f"briefing-test-{uuid.uuid4().hex[:8]}",
        task_queue=settings.task_queue,
    )


async def run_briefing(
    client: Client, settings: Settings, request: BriefingRequest
) -> BriefingResult:
    return await (await start_briefing(client, settings, request)).result()
