"""Every page route under /briefings: start one from the form, watch it live, act on it, keep it.

The JSON API (api.py) is the contract; these pages read and start briefings through the same
service, and answer htmx with a fragment and a browser without JavaScript with a whole page.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sse_starlette import EventSourceResponse

from core.temporal_errors import temporal_call
from web.briefings.actions import (
    CannotCancel,
    ReviewRefused,
    WorkerUnavailable,
    cancel_briefing,
    submit_review,
)
from web.briefings.form import BRIEFING_FORM, BriefingForm
from web.briefings.models import BriefingState, ReviewDraft
from web.briefings.recent import recent_for_page
from web.briefings.review_form import ReviewForm
from web.briefings.schemas import BriefingCreate
from web.briefings.service import get_briefing, start_briefing
from web.deps import AppSettings, TemporalClient
from web.exports.downloads import Finished, markdown_download, standalone_html_download
from web.htmx import redirect
from web.limits.visitors import StartCharge
from web.live.rendering import html_frame
from web.live.streaming import After, LastEventId, event_stream
from web.page_context import render_fragment, render_page
from workflows.models import stream_offset

router = APIRouter(prefix="/briefings", tags=["briefing pages"])


@router.post("", response_class=HTMLResponse)
async def submit_briefing(
    request: Request, client: TemporalClient, settings: AppSettings
) -> Response:
    form = await BriefingForm.submitted(request, settings.default_sources)

    async def start(create: BriefingCreate, charge: StartCharge) -> Response:
        started = await start_briefing(client, settings, create, form.idempotency_key)
        if not started.created:
            charge.refund()  # the same form sent twice started one briefing
        return redirect(request.headers, f"/briefings/{started.id}")

    async def home_page() -> dict[str, Any]:
        return {"recent": await recent_for_page(request, client)}

    return await BRIEFING_FORM.submit(request, form, start, home_page)


@router.get("/recent", response_class=HTMLResponse)
async def recent_briefings_list(request: Request, client: TemporalClient) -> HTMLResponse:
    recent = await recent_for_page(request, client)
    return render_page(request, "partials/_recent_briefings.html", recent=recent)


@router.get("/{briefing_id}", response_class=HTMLResponse)
async def briefing_page(
    request: Request, briefing_id: str, client: TemporalClient, settings: AppSettings
) -> HTMLResponse:
    async with temporal_call():
        view = await get_briefing(client, settings, briefing_id)
    state = BriefingState.of_view(view, _csrf_token(request))
    # The stream starts after what this page already shows (with nothing shown, from the start).
    after = stream_offset(view.version)
    return render_page(
        request,
        "briefing.html",
        view=view,
        live=state.outcome is None,
        events_url=f"/briefings/{briefing_id}/events?after={after}",
        progress=state.progress_panel(),
        review=state.review_panel(),
        status=state.status_panel(),
        article=state.article_panel(),
    )


@router.get("/{briefing_id}/events")
async def briefing_events_html(
    request: Request, briefing_id: str, last_event_id: LastEventId = None, after: After = None
) -> EventSourceResponse:
    return await event_stream(request, briefing_id, last_event_id, after, html_frame)


@router.post("/{briefing_id}/review", response_class=HTMLResponse)
async def review_from_page(
    request: Request, briefing_id: str, client: TemporalClient, settings: AppSettings
) -> HTMLResponse:
    form = await ReviewForm.read(request)
    try:
        decision = form.decision()
        async with temporal_call():
            outcome = await submit_review(client, briefing_id, decision)
    except (ValidationError, ReviewRefused, WorkerUnavailable) as error:
        message = "the note is too long" if isinstance(error, ValidationError) else str(error)
        draft = ReviewDraft(message, tuple(form.picked), form.orders, form.note)
        # The panel as the page shows it now, with the editor's choice kept in it.
        async with temporal_call():
            view = await get_briefing(client, settings, briefing_id)
        return render_fragment(
            "partials/_review.html",
            status_code=503 if isinstance(error, WorkerUnavailable) else 422,
            review=BriefingState.of_view(view, _csrf_token(request)).review_panel(draft),
        )
    decided = BriefingState(briefing_id, review_outcome=outcome)
    return render_fragment("partials/_review.html", review=decided.review_panel())


@router.post("/{briefing_id}/cancel", response_class=HTMLResponse)
async def cancel_from_page(briefing_id: str, client: TemporalClient) -> HTMLResponse:
    try:
        async with temporal_call():
            await cancel_briefing(client, briefing_id)
    except CannotCancel as error:
        return render_fragment(
            "partials/dashboard/_chaos_result.html", 409, ok=False, text=str(error)
        )
    return render_fragment(
        "partials/dashboard/_chaos_result.html",
        ok=True,
        text="Cancel requested: the steps in flight stop at their next heartbeat.",
    )


@router.get("/{briefing_id}/export.md", response_class=Response)
async def markdown_export(briefing_id: str, client: TemporalClient, cache: Finished) -> Response:
    return await markdown_download(client, cache, briefing_id)


@router.get("/{briefing_id}/export.html", response_class=Response)
async def standalone_html_export(
    request: Request,
    briefing_id: str,
    client: TemporalClient,
    settings: AppSettings,
    cache: Finished,
) -> Response:
    return await standalone_html_download(request, client, settings, cache, briefing_id)


def _csrf_token(request: Request) -> str:
    return str(getattr(request.state, "csrf_token", ""))
