"""Briefings started straight on Temporal, as the web would start them, for the workflow tests."""

import uuid
from collections.abc import Callable
from datetime import timedelta

from temporalio.client import Client, WorkflowExecutionDescription, WorkflowHandle

from core.settings import Settings
from testing.polling import wait_for_async
from workflows.briefing import BriefingWorkflow
from workflows.models import BriefingProgress, BriefingRequest, BriefingResult

PROGRESS_TIMEOUT_SECONDS = 30.0


def briefing_request(settings: Settings, topic: str = "science", **changes) -> BriefingRequest:
    fields = {
        "topic": topic,
        "sources": settings.default_sources,
        "max_stories": 5,
        "model": settings.llm_model,
        "feed_task_queue": settings.feed_task_queue,
    }
    return BriefingRequest.model_validate(fields | changes)


def workflow_task_timeout(description: WorkflowExecutionDescription) -> timedelta:
    """How long a worker may hold one of the run's workflow tasks, as Temporal keeps it."""
    config = description.raw_description.execution_config
    return config.default_workflow_task_timeout.ToTimedelta()


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


async def progress_when(
    handle: WorkflowHandle,
    condition: Callable[[BriefingProgress], bool],
    timeout: float = PROGRESS_TIMEOUT_SECONDS,
) -> BriefingProgress:
    """The briefing's progress, queried until it satisfies `condition`."""
    return await wait_for_async(
        lambda: handle.query(BriefingWorkflow.progress),
        timeout,
        f"{handle.id}'s progress as awaited",
        until=condition,
        interval=0.2,
        # Whatever a query raises before the first workflow task has run: not started yet.
        ignoring=(Exception,),
    )
