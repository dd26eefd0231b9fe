"""Starting, reading and listing briefings: the workflow is the only source of truth."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from temporalio.client import Client, WorkflowExecutionDescription, WorkflowQueryFailedError
from temporalio.service import RPCError, RPCStatusCode

from core.health import worker_is_polling
from core.logs import about
from core.settings import Settings
from web.briefings.closed_run import read_closed_run, run_status
from web.briefings.ids import (
    ID_PREFIX,
    idempotent_briefing_id,
    new_briefing_id,
    request_fingerprint,
)
from web.briefings.progress_view import live_steps
from web.briefings.schemas import (
    BriefingCreate,
    BriefingList,
    BriefingListItem,
    BriefingView,
    RunStatus,
)
from web.idempotent_start import start_once
from workflows.briefing import BriefingWorkflow
from workflows.models import BriefingProgress, BriefingRequest

log = logging.getLogger(__name__)

QUERY_TIMEOUT = timedelta(seconds=3)
NO_WORKER_NOTE = "worker offline: the briefing will continue when a worker is back"
DEFAULT_REVIEW_TIMEOUT_SECONDS = BriefingRequest.model_fields["review_timeout_seconds"].default
SLOW_WORKER_NOTE = "the worker did not answer in time; progress will show again shortly"


class BriefingNotFound(LookupError):
    pass


@dataclass(frozen=True)
class StartedBriefing:
    id: str
    created: bool


def temporal_ui_link(settings: Settings, briefing_id: str) -> str:
    namespace = settings.temporal_namespace
    return f"{settings.temporal_ui_url}/namespaces/{namespace}/workflows/{briefing_id}"


def briefing_request(
    settings: Settings,
    topic: str,
    max_stories: int,
    *,
    sources: list[str] | None = None,
    review: bool = False,
    review_timeout_seconds: int = DEFAULT_REVIEW_TIMEOUT_SECONDS,
) -> BriefingRequest:
    """A briefing of this deployment's feeds (unless `sources`), models and feed queue, all
    resolved now: a replay never depends on the settings of the worker that runs it."""
    return BriefingRequest(
        topic=topic,
        sources=sources or settings.default_sources,
        max_stories=max_stories,
        model=settings.llm_model,
        fallback_model=settings.fallback_model,
        feed_task_queue=settings.feed_task_queue,
        review=review,
        review_timeout_seconds=review_timeout_seconds,
    )


async def start_briefing(
    client: Client, settings: Settings, create: BriefingCreate, idempotency_key: str | None
) -> StartedBriefing:
    request = briefing_request(
        settings,
        create.topic,
        create.max_stories,
        sources=[str(url) for url in create.sources] if create.sources else None,
        review=create.review,
        review_timeout_seconds=settings.review_timeout_seconds,
    )
    briefing_id = idempotent_briefing_id(idempotency_key) if idempotency_key else new_briefing_id()
    created = await start_once(
        client,
        BriefingWorkflow.run,
        request,
        workflow_id=briefing_id,
        task_queue=settings.task_queue,
        fingerprint=request_fingerprint(request),
        memo={"topic": request.topic},
        summary=f"Briefing: {request.topic}",
    )
    if created:
        log.info("briefing started: %r", request.topic, extra=about(briefing_id))
    return StartedBriefing(briefing_id, created=created)


async def describe_briefing(client: Client, briefing_id: str) -> WorkflowExecutionDescription:
    """The run's description; BriefingNotFound for an id that is not a briefing."""
    if not briefing_id.startswith(ID_PREFIX):
        raise BriefingNotFound(briefing_id)
    try:
        return await client.get_workflow_handle(briefing_id).describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise BriefingNotFound(briefing_id) from error
        raise


async def get_briefing(client: Client, settings: Settings, briefing_id: str) -> BriefingView:
    return await briefing_view(client, settings, await describe_briefing(client, briefing_id))


async def briefing_view(
    client: Client, settings: Settings, description: WorkflowExecutionDescription
) -> BriefingView:
    """The briefing a description names, as get_briefing reads it (for a caller that wants
    the description too)."""
    briefing_id = description.id
    handle = client.get_workflow_handle_for(BriefingWorkflow.run, briefing_id)
    status = run_status(description.status)
    view = BriefingView(
        id=briefing_id,
        topic=await description.memo_value("topic", default=""),
        status=status,
        started_at=description.start_time,
        finished_at=description.close_time,
        steps=None,
        temporal_ui_url=temporal_ui_link(settings, briefing_id),
    )
    closed = await read_closed_run(client, description)
    if closed is not None and closed.result is not None:
        update = {"result": closed.result.briefing}
        return _with_progress(view, closed.result.progress).model_copy(update=update)
    if closed is not None:
        view.error = closed.error
    try:
        progress = await _query_progress(handle)
    except WorkflowQueryFailedError:
        # A worker answered, without progress: the run has not begun its steps yet (a build
        # whose workflow waits first), or its build has no such query. Shown as starting.
        return view
    if progress is None:
        if status == RunStatus.RUNNING:
            polling = await worker_is_polling(client, settings)
            view.progress_note = SLOW_WORKER_NOTE if polling else NO_WORKER_NOTE
        return view
    view = _with_progress(view, progress)
    view.steps = live_steps(progress.steps, description)
    view.version = progress.version
    return view


async def _query_progress(handle) -> BriefingProgress | None:
    try:
        return await handle.query(
            BriefingWorkflow.progress, result_type=BriefingProgress, rpc_timeout=QUERY_TIMEOUT
        )
    except RPCError:
        return None


def _with_progress(view: BriefingView, progress: BriefingProgress) -> BriefingView:
    return view.model_copy(
        update={
            "version": progress.version,
            "steps": progress.steps,
            "review": progress.review if progress.review_outcome is None else None,
            "review_outcome": progress.review_outcome,
            "failed_sources": progress.failed_sources,
            "usage": progress.usage,
            "error": view.error or progress.error,
        }
    )


async def list_briefings(client: Client, *, limit: int = 20) -> BriefingList:
    items = []
    query = f"WorkflowType = '{BriefingWorkflow.__name__}'"
    async for execution in client.list_workflows(query, limit=limit):
        finished = execution.close_time
        items.append(
            BriefingListItem(
                id=execution.id,
                topic=await execution.memo_value("topic", default=""),
                status=run_status(execution.status),
                started_at=execution.start_time,
                finished_at=finished,
                duration_seconds=(finished - execution.start_time).total_seconds()
                if finished and execution.start_time
                else None,
                url=f"/api/briefings/{execution.id}",
            )
        )
    return BriefingList(briefings=items)
