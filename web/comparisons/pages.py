"""Every page route under /comparisons: start one from the home form, and watch both sides.

The JSON API (api.py) is the contract; these pages start and read comparisons through the
same service, and a browser without JavaScript gets the whole page, current on each reload.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sse_starlette import EventSourceResponse

from core.temporal_errors import temporal_call
from web.briefings.recent import recent_for_page
from web.briefings.schemas import BriefingCreate
from web.comparisons.form import COMPARISON_FORM, ComparisonForm
from web.comparisons.live import column_frames
from web.comparisons.models import comparison_columns
from web.deps import AppSettings, ComparisonService, TemporalClient
from web.htmx import redirect
from web.limits.visitors import StartCharge
from web.live.streaming import PING_SECONDS
from web.page_context import render_page

router = APIRouter(prefix="/comparisons", tags=["comparison pages"])


@router.post("", response_class=HTMLResponse)
async def submit_comparison(
    request: Request,
    comparisons: ComparisonService,
    client: TemporalClient,
    settings: AppSettings,
) -> Response:
    form = await ComparisonForm.submitted(request, settings.default_sources)

    async def start(create: BriefingCreate, charge: StartCharge) -> Response:
        started = await comparisons.start(form.comparison(create), form.idempotency_key)
        if not started.is_new:
            charge.refund()  # the same form sent twice: one comparison
        return redirect(request.headers, started.comparison.url)

    async def home_page() -> dict[str, Any]:
        return {"recent": await recent_for_page(request, client)}

    return await COMPARISON_FORM.submit(request, form, start, home_page)


@router.get("/{comparison_id}", response_class=HTMLResponse)
async def comparison_page(
    request: Request, comparison_id: str, comparisons: ComparisonService
) -> HTMLResponse:
    async with temporal_call():
        view = await comparisons.view(comparison_id)
    return render_page(
        request,
        "comparisons/comparison.html",
        view=view,
        live=not view.finished,
        events_url=f"/comparisons/{comparison_id}/events",
        columns=comparison_columns(view),
    )


@router.get("/{comparison_id}/events")
async def comparison_events(
    comparison_id: str, comparisons: ComparisonService
) -> EventSourceResponse:
    async with temporal_call():
        first = await comparisons.view(comparison_id)  # 404 before any byte of the stream
    return EventSourceResponse(column_frames(comparisons, first), ping=PING_SECONDS)
