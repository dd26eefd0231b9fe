"""Server-rendered pages: the home page's form and its live list of recent briefings.

The JSON API is the contract; pages read and start briefings through the same service.
"""

from fastapi import APIRouter, Request, status
from fastapi.responses import HTMLResponse, Response

from core.temporal_errors import TemporalUnavailable, temporal_call
from web.briefings.form import Banner, BriefingForm
from web.briefings.recent import RecentBriefings, RecentBriefingsCache, recent_rows
from web.briefings.service import IdempotencyConflict, start_briefing
from web.deps import AppSettings, TemporalClient
from web.htmx import is_htmx, redirect
from web.limits.rates import RateLimited
from web.limits.visitors import not_started_yet, retry_after, start_charge
from web.page_context import render_page
from web.submitted_form import new_idempotency_key

router = APIRouter(tags=["pages"])

TEMPORAL_DOWN = Banner(
    "error",
    "Temporal is unreachable, so the briefing was not started. "
    "Your choices are kept: submit again in a moment.",
)
KEY_REUSED = Banner(
    "warn",
    "This form already started a different briefing. Check your choices and submit again.",
)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, client: TemporalClient, settings: AppSettings) -> HTMLResponse:
    form = BriefingForm.blank(settings.default_sources)
    return render_page(request, "home.html", form=form, recent=await _recent(request, client))


@router.get("/briefings/recent", response_class=HTMLResponse)
async def recent_briefings(request: Request, client: TemporalClient) -> HTMLResponse:
    recent = await _recent(request, client)
    return render_page(request, "partials/_recent_briefings.html", recent=recent)


@router.post("/briefings", response_class=HTMLResponse)
async def submit_briefing(
    request: Request, client: TemporalClient, settings: AppSettings
) -> Response:
    form = await BriefingForm.submitted(request, settings.default_sources)
    create = form.validate()
    if create is None:
        return await _form_again(request, client, form, status.HTTP_422_UNPROCESSABLE_CONTENT)
    try:
        with start_charge(request) as charge:
            async with temporal_call():
                started = await start_briefing(client, settings, create, form.idempotency_key)
    except RateLimited as error:
        form.banner = Banner("error", not_started_yet(error))
        too_many = status.HTTP_429_TOO_MANY_REQUESTS
        return await _form_again(request, client, form, too_many, headers=retry_after(error))
    except TemporalUnavailable:
        form.banner = TEMPORAL_DOWN
        return await _form_again(request, client, form, status.HTTP_503_SERVICE_UNAVAILABLE)
    except IdempotencyConflict:
        form.banner = KEY_REUSED
        form.idempotency_key = new_idempotency_key()
        return await _form_again(request, client, form, status.HTTP_409_CONFLICT)
    if not started.created:
        charge.refund()  # the same form sent twice started one briefing
    return redirect(request.headers, f"/briefings/{started.id}")


async def _form_again(
    request: Request,
    client: TemporalClient,
    form: BriefingForm,
    status_code: int,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """htmx swaps the form in place; without JavaScript the whole page comes back."""
    answer = {"status_code": status_code, "headers": headers, "form": form}
    if is_htmx(request.headers):
        return render_page(request, "partials/_briefing_form.html", **answer)
    return render_page(request, "home.html", recent=await _recent(request, client), **answer)


async def _recent(request: Request, client: TemporalClient) -> RecentBriefings:
    cache: RecentBriefingsCache = request.app.state.recent_briefings
    try:
        return RecentBriefings(recent_rows(await cache.get(client)))
    except TemporalUnavailable as error:
        return RecentBriefings([], temporal_error=str(error))
