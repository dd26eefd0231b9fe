"""Starting a briefing and waiting on it, for the dashboard tests."""

import asyncio
from collections.abc import Callable

from temporalio.client import Client, WorkflowHandle, WorkflowQueryFailedError
from temporalio.service import RPCError

from core.settings import Settings
from web.briefings.ids import new_briefing_id
from web.dashboard.timeline_loader import load_timeline
from web.dashboard.timeline_models import BriefingTimeline
from workflows.briefing import BriefingWorkflow
from workflows.models import BriefingProgress, BriefingRequest, BriefingResult

WAIT_TIMEOUT_SECONDS = 30.0


async def start_briefing(
    client: Client, settings: Settings, *, max_stories: int
) -> WorkflowHandle[BriefingWorkflow, BriefingResult]:
    request = BriefingRequest(
        topic="science",
        sources=settings.default_sources,
        max_stories=max_stories,
        model=settings.llm_model,
    )
    return await client.start_workflow(
        BriefingWorkflow.run, request, id=new_briefing_id(), task_queue=settings.task_queue
    )


async def wait_for_progress(
    handle: WorkflowHandle, condition: Callable[[BriefingProgress], bool]
) -> BriefingProgress:
    async with asyncio.timeout(WAIT_TIMEOUT_SECONDS):
        while True:
            try:
                progress = await handle.query(BriefingWorkflow.progress)
            except (WorkflowQueryFailedError, RPCError):  # the first task has not run yet
                progress = None
            if progress is not None and condition(progress):
                return progress
            await asyncio.sleep(0.1)


async def wait_for_timeline(
    client: Client, briefing_id: str, condition: Callable[[BriefingTimeline], bool]
) -> BriefingTimeline:
    async with asyncio.timeout(WAIT_TIMEOUT_SECONDS):
        while True:
            timeline = await load_timeline(client, briefing_id)
            if condition(timeline):
                return timeline
            await asyncio.sleep(0.2)
