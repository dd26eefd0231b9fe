"""`briefing new "topic" [--wait]`: start a briefing and follow it in the terminal."""

import asyncio

from pydantic import HttpUrl
from temporalio.client import Client

from core.domain import RunStatus
from core.settings import Settings
from core.temporal_client import connect
from core.tracing import CLI_SERVICE, client_interceptors, start_tracing, stop_tracing
from web.briefings.schemas import BriefingCreate, BriefingView
from web.briefings.service import get_briefing, start_briefing, temporal_ui_link
from workflows.models import StepProgress, StepState

POLL_SECONDS = 0.5
_MARKS = {
    StepState.PENDING: "·",
    StepState.RUNNING: "…",
    StepState.RETRYING: "↻",
    StepState.DONE: "✓",
    StepState.FAILED: "✗",
}


def step_line(step: StepProgress) -> str:
    line = f"  {_MARKS[step.state]} {step.kind.value:<9} {step.label}"
    if step.state == StepState.RETRYING:
        line += f" — attempt {step.attempt}: {step.last_error}"
    elif step.state == StepState.DONE:
        started, finished = step.started_at, step.finished_at
        seconds = (finished - started).total_seconds() if started and finished else 0
        line += f" — {step.detail or 'done'} ({seconds:.1f}s"
        line += f", attempt {step.attempt})" if step.attempt > 1 else ")"
        line += f" [{step.tokens} tokens]" if step.tokens else ""
    elif step.state == StepState.FAILED:
        line += f" — failed: {step.last_error}"
    return line


async def new_briefing(
    settings: Settings, *, topic: str, sources: list[str] | None, max_stories: int, wait: bool
) -> int:
    """Traced as the web's start is, when OTEL_EXPORTER_OTLP_ENDPOINT is set: the briefing's
    trace starts here. The spans are sent before returning, since the CLI leaves by os._exit."""
    feeds = None if sources is None else [HttpUrl(source) for source in sources]
    create = BriefingCreate(topic=topic, sources=feeds, max_stories=max_stories)
    tracing = start_tracing(settings, CLI_SERVICE)
    try:
        client = await connect(settings, interceptors=client_interceptors(tracing))
        return await _start_and_follow(client, settings, create, wait)
    finally:
        stop_tracing(tracing)


async def _start_and_follow(
    client: Client, settings: Settings, create: BriefingCreate, wait: bool
) -> int:
    started = await start_briefing(client, settings, create, idempotency_key=None)
    print(f"started {started.id}")
    print(f"  web:         http://{settings.host}:{settings.web_port}/api/briefings/{started.id}")
    print(f"  Temporal UI: {temporal_ui_link(settings, started.id)}")
    if not wait:
        return 0
    view = await follow(client, settings, started.id)
    if view.status == RunStatus.COMPLETED and view.result:
        print()
        print(view.result.markdown)
        return 0
    print(f"briefing {view.status.value}: {view.error}")
    return 1


async def follow(client: Client, settings: Settings, briefing_id: str) -> BriefingView:
    shown: dict[str, str] = {}
    note_shown = None
    while True:
        view = await get_briefing(client, settings, briefing_id)
        for step in view.steps or []:
            line = step_line(step)
            if shown.get(step.id) != line and step.state != StepState.PENDING:
                print(line, flush=True)
                shown[step.id] = line
        if view.progress_note != note_shown and view.progress_note:
            print(f"  ! {view.progress_note}", flush=True)
        note_shown = view.progress_note
        if view.status != RunStatus.RUNNING:
            return view
        await asyncio.sleep(POLL_SECONDS)
