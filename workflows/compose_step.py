"""Compose: the lead paragraph and the finished briefing, in one activity."""

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from activities.compose import ComposeActivities
from activities.errors import LLMError
from activities.models import Briefing, ComposeInput, SummarizedStory
from workflows import activity_options as options
from workflows.failures import failure_reason, failure_type, reraise_if_cancelled
from workflows.models import BriefingRequest, StepKind
from workflows.progress import ProgressTracker


async def compose(
    tracker: ProgressTracker,
    request: BriefingRequest,
    stories: list[SummarizedStory],
    editor_note: str | None,
) -> Briefing:
    tracker.add("compose", StepKind.COMPOSE, "Compose the briefing")
    tracker.start("compose", workflow.now())
    compose_input = ComposeInput(
        topic=request.topic,
        model=request.model,
        stories=stories,
        failed_sources=[f.url for f in tracker.progress.failed_sources],
        generated_at=workflow.now(),
        editor_note=editor_note,
    )
    models = list(dict.fromkeys([request.model, request.fallback_model or request.model]))
    for model in models:
        try:
            briefing = await _compose_with(compose_input.model_copy(update={"model": model}))
            break
        except ActivityError as error:
            reraise_if_cancelled(error)
            if failure_type(error) == LLMError.REJECTED and model != models[-1]:
                continue  # the model refused: the fallback model writes the lead
            tracker.fail("compose", workflow.now(), reason=failure_reason(error))
            raise ApplicationError(
                f"composing failed: {failure_reason(error)}", type="ComposeFailed"
            ) from error
    tracker.finish(
        "compose",
        workflow.now(),
        attempt=briefing.attempt,
        tokens=briefing.compose_usage.total,
        detail=briefing.title,
        usage=briefing.compose_usage,
        text=briefing.lead,
    )
    return briefing


async def _compose_with(compose_input: ComposeInput) -> Briefing:
    return await workflow.execute_activity_method(
        ComposeActivities.compose_briefing,
        compose_input,
        activity_id="compose",
        summary="Compose",
        start_to_close_timeout=options.LLM_START_TO_CLOSE,
        heartbeat_timeout=options.LLM_HEARTBEAT,
        retry_policy=options.LLM_RETRY,
        cancellation_type=options.CANCELLATION,
    )
