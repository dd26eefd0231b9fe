"""GET /briefings/{id}: the briefing as it is now, then live over server-sent events."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from core.temporal_errors import temporal_call
from web.briefings.schemas import RunStatus
from web.briefings.service import get_briefing
from web.deps import AppSettings, TemporalClient
from web.page_context import render_page

router = APIRouter(tags=["pages"])


@router.get("/briefings/{briefing_id}", response_class=HTMLResponse)
async def briefing_page(
    request: Request, briefing_id: str, client: TemporalClient, settings: AppSettings
) -> HTMLResponse:
    async with temporal_call():
        view = await get_briefing(client, settings, briefing_id)
    live = view.status == RunStatus.RUNNING
    # Start the stream after what this page already shows; with nothing shown, from the start.
    after = view.version - 1 if view.steps else -1
    return render_page(
        request,
        "briefing.html",
        view=view,
        live=live,
        events_url=f"/briefings/{briefing_id}/events?after={after}",
        progress=view if view.steps else None,
        briefing=view.result,
        liveness="worker_offline" if view.progress_note else "live",
        outcome=None if live else view.status.value,
        error=view.error,
    )
