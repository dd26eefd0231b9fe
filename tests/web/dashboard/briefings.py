"""Starting a briefing and waiting on it, for the dashboard tests."""

from collections.abc import Callable

from temporalio.client import Client, WorkflowHandle, WorkflowQueryFailedError
from temporalio.service import RPCError

from core.settings import Settings
from testing.polling import wait_for_async
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
    return await wait_for_async(
        lambda: handle.query(BriefingWorkflow.progress),
        WAIT_TIMEOUT_SECONDS,
        f"{handle.id}'s progress as awaited",
        until=condition,
        ignoring=(WorkflowQueryFailedError, RPCError),  # the first task has not run yet
    )


async def wait_for_timeline(
    client: Client, briefing_id: str, condition: Callable[[BriefingTimeline], bool]
) -> BriefingTimeline:
    return await wait_for_async(
        lambda: load_timeline(client, briefing_id),
        WAIT_TIMEOUT_SECONDS,
        f"{briefing_id}'s timeline as awaited",
        until=condition,
        interval=0.2,
    )
